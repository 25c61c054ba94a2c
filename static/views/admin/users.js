// Users: every account, with a button to promote or demote it.

import { api } from "../../api.js";
import { formatDate, h, withBusy } from "../../dom.js";
import { session, showError, showStatus } from "../../ui.js";
import { adminTable, sectionHeading } from "./shared.js";

function userRow(user, replace) {
  const isMe = session.user && session.user.id === user.id;
  const button = h(
    "button",
    {
      type: "button",
      class: `button small ${user.is_admin ? "subtle danger" : ""}`,
      "aria-label": `${user.is_admin ? "Remove admin role from" : "Make admin:"} ${user.email}`,
    },
    user.is_admin ? "Remove admin" : "Make admin",
  );
  button.addEventListener("click", () =>
    withBusy(button, "Saving…", async () => {
      try {
        const saved = await api.setAdmin(user.id, !user.is_admin);
        showStatus(`${saved.email} is ${saved.is_admin ? "now an admin" : "no longer an admin"}.`);
        replace(saved);
      } catch (error) {
        showError(error);
      }
    }),
  );
  return h(
    "tr",
    { dataset: { userId: String(user.id) } },
    h("th", { scope: "row", "data-label": "Email" }, user.email, isMe ? h("span", { class: "muted" }, " (you)") : null),
    h("td", { "data-label": "Name" }, user.full_name || "—"),
    h("td", { "data-label": "Role" }, h("span", { class: `badge ${user.is_admin ? "badge-admin" : "badge-muted"}` }, user.is_admin ? "Admin" : "Shopper")),
    h("td", { "data-label": "Joined" }, formatDate(user.created_at)),
    h("td", { "data-label": "Actions" }, button),
  );
}

export async function render() {
  const users = await api.users();
  const tbody = h("tbody");
  const draw = () => tbody.replaceChildren(...users.map((user) => userRow(user, replace)));
  function replace(saved) {
    const index = users.findIndex((user) => user.id === saved.id);
    if (index >= 0) users[index] = saved;
    draw();
    tbody.querySelector(`tr[data-user-id="${saved.id}"] button`)?.focus();
  }
  draw();
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "admin-users-title" },
    sectionHeading("Users", "admin-users-title"),
    adminTable("admin-users-title", ["Email", "Name", "Role", "Joined", "Actions"], tbody),
  );
}
