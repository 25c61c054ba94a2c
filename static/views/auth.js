// Log in and register forms.

import { api } from "../api.js";
import { field, h, withBusy } from "../dom.js";
import { clearMessages, showError, showStatus, viewHeading } from "../ui.js";

export function renderLogin(main, params, ctx) {
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const password = h("input", {
    type: "password",
    name: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "button primary" }, "Log in");
  const form = h(
    "form",
    { class: "auth-form card", "aria-labelledby": "login-title" },
    field("Email", email),
    field("Password", password),
    h("div", { class: "form-actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await withBusy(submit, "Logging in…", async () => {
      try {
        clearMessages();
        await ctx.signIn(email.value.trim(), password.value);
      } catch (problem) {
        showError(problem);
        password.select();
      }
    });
  });
  const title = viewHeading("Log in");
  title.id = "login-title";
  main.append(
    h(
      "section",
      { class: "auth-view" },
      title,
      form,
      h("p", { class: "auth-switch" }, "New here? ", h("a", { href: "#/register" }, "Create an account")),
    ),
  );
}

export function renderRegister(main, params, ctx) {
  const fullName = h("input", { type: "text", name: "full_name", autocomplete: "name" });
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const password = h("input", {
    type: "password",
    name: "password",
    autocomplete: "new-password",
    minlength: "6",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "button primary" }, "Create account");
  const form = h(
    "form",
    { class: "auth-form card", "aria-labelledby": "register-title" },
    field("Full name (optional)", fullName),
    field("Email", email),
    field("Password", password, "At least 6 characters."),
    h("div", { class: "form-actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await withBusy(submit, "Creating account…", async () => {
      const fields = { email: email.value.trim(), password: password.value };
      if (fullName.value.trim()) fields.full_name = fullName.value.trim();
      try {
        clearMessages();
        await api.register(fields);
      } catch (problem) {
        showError(problem);
        return;
      }
      try {
        await ctx.signIn(fields.email, fields.password);
        showStatus(`Welcome${fields.full_name ? `, ${fields.full_name}` : ""}! Your account is ready.`);
      } catch (problem) {
        showError(problem);
        ctx.navigate("/login");
      }
    });
  });
  const title = viewHeading("Create an account");
  title.id = "register-title";
  main.append(
    h(
      "section",
      { class: "auth-view" },
      title,
      form,
      h("p", { class: "auth-switch" }, "Already have an account? ", h("a", { href: "#/login" }, "Log in")),
    ),
  );
}
