// The storefront's entry point: session state, the header, and a small hash router that
// hands each route to a view module in views/.

import { api, clearToken, getToken, onUnauthorized, setTokens } from "./api.js";
import { h, withBusy } from "./dom.js";
import { clearMessages, session, showError, showStatus } from "./ui.js";
import * as adminView from "./views/admin.js";
import * as authView from "./views/auth.js";
import * as cartView from "./views/cart.js";
import * as catalogView from "./views/catalog.js";
import * as ordersView from "./views/orders.js";
import * as productView from "./views/product.js";

const main = document.getElementById("main");

// [pattern, view, options]; the first match wins. Params are the regex groups.
const routes = [
  [/^\/?$/, catalogView.render, {}],
  [/^\/product\/(\d+)$/, productView.render, {}],
  [/^\/login$/, authView.renderLogin, { guestOnly: true }],
  [/^\/register$/, authView.renderRegister, { guestOnly: true }],
  [/^\/cart$/, cartView.render, { needsLogin: true }],
  [/^\/orders$/, ordersView.renderHistory, { needsLogin: true }],
  [/^\/orders\/(\d+)$/, ordersView.renderOrder, { needsLogin: true }],
  // #/admin, #/admin/<section>, #/admin/<section>/<id>; a section may keep its filters after "?".
  [/^\/admin(?:\/([a-z]+)(?:\/(\d+))?)?(?:\?.*)?$/, renderAdminRoute, { needsLogin: true }],
];

let renderCount = 0;
let returnTo = null;

const ctx = {
  navigate,
  session,
  /** Is the view that started an async load still the one on screen? */
  isCurrent: (token) => token === renderCount,
  currentToken: () => renderCount,
  refreshCartCount,
  setCartCount(count) {
    session.cartCount = count;
    updateNav();
  },
  addToCart,
  signIn,
  requireLogin,
  /** After a store reset every account is reseeded, so this session usually ends with it. */
  async afterReset(detail) {
    try {
      session.user = await api.me({ expect401: true });
    } catch (error) {
      if (error.status !== 401) throw error;
      session.user = null;
      session.cartCount = 0;
      session.lastOrder = null;
      returnTo = "/admin";
      updateNav();
      showStatus(`${detail} Your session ended with the reset: log in again with the admin account.`);
      navigate("/login");
      return;
    }
    await refreshCartCount();
    await renderRoute();
  },
};

function currentPath() {
  const hash = window.location.hash.replace(/^#/, "");
  return hash || "/";
}

// Navigations started by the app (after a login, a checkout...) keep the message that explains
// them; navigations the user starts (links, back button) clear old messages.
let programmaticNavigation = false;

export function navigate(path) {
  const target = `#${path}`;
  if (window.location.hash === target) {
    renderRoute();
  } else {
    programmaticNavigation = true;
    window.location.hash = target;
  }
}

function requireLogin(message, path = currentPath()) {
  returnTo = path;
  if (message) showStatus(message);
  navigate("/login");
}

async function renderAdminRoute(container, params, context) {
  if (!session.isAdmin) {
    container.append(
      h("h1", { class: "view-title", tabindex: "-1" }, "Admin console"),
      h(
        "p",
        { class: "empty-state" },
        "The admin console is only for administrators. You are signed in as a shopper.",
      ),
      h("p", {}, h("a", { href: "#/" }, "Back to the catalog")),
    );
    return;
  }
  await adminView.render(container, params, context);
}

async function renderRoute({ focus = true } = {}) {
  renderCount += 1;
  const token = renderCount;
  const path = currentPath();
  const match = routes.find(([pattern]) => pattern.test(path));
  updateNav(path);

  if (!match) {
    main.replaceChildren(
      h("h1", { class: "view-title", tabindex: "-1" }, "Page not found"),
      h("p", {}, "There is nothing at this address. ", h("a", { href: "#/" }, "Go to the catalog")),
    );
    focusTitle(focus);
    return;
  }
  const [pattern, view, options] = match;
  if (options.needsLogin && !session.user) {
    requireLogin(getToken() ? null : "Please log in to continue.", path);
    return;
  }
  if (options.guestOnly && session.user) {
    navigate("/");
    return;
  }
  const params = pattern.exec(path).slice(1);
  main.replaceChildren();
  main.setAttribute("aria-busy", "true");
  try {
    await view(main, params, { ...ctx, token });
  } catch (error) {
    if (ctx.isCurrent(token)) {
      showError(error);
    }
  } finally {
    if (ctx.isCurrent(token)) main.removeAttribute("aria-busy");
  }
  if (ctx.isCurrent(token)) focusTitle(focus);
}

function focusTitle(focus) {
  if (!focus) return;
  // A view opened for one task (e.g. "restock this product") may name the control to start at.
  const title = main.querySelector("[data-autofocus]") || main.querySelector(".view-title");
  if (title) title.focus({ preventScroll: false });
}

// ---- header ---------------------------------------------------------------------------------

function updateNav(path = currentPath()) {
  const signedIn = Boolean(session.user);
  document.querySelectorAll("[data-auth='guest']").forEach((el) => {
    el.hidden = signedIn;
  });
  document.querySelectorAll("[data-auth='user']").forEach((el) => {
    el.hidden = !signedIn;
  });
  document.querySelectorAll("[data-auth='admin']").forEach((el) => {
    el.hidden = !session.isAdmin;
  });
  const who = document.getElementById("nav-user");
  who.textContent = signedIn ? session.user.full_name || session.user.email : "";
  if (signedIn) who.title = session.user.email;
  const count = document.getElementById("cart-count");
  count.textContent = String(session.cartCount);
  count.hidden = !signedIn || session.cartCount === 0;
  document.getElementById("nav-cart").setAttribute(
    "aria-label",
    session.cartCount ? `Cart, ${session.cartCount} item${session.cartCount === 1 ? "" : "s"}` : "Cart",
  );
  const section = "/" + (path.split("/")[1] || "");
  document.querySelectorAll(".site-nav a[data-route]").forEach((link) => {
    if (link.dataset.route === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  });
}

async function refreshCartCount() {
  if (!session.user) {
    session.cartCount = 0;
  } else {
    try {
      const cart = await api.cart();
      session.cartCount = cart.items.reduce((sum, item) => sum + item.quantity, 0);
    } catch {
      // The count is a convenience; a failure here is reported by the view that needs the cart.
    }
  }
  updateNav();
}

// ---- session --------------------------------------------------------------------------------

async function loadUser() {
  if (!getToken()) {
    session.user = null;
    return;
  }
  try {
    session.user = await api.me();
  } catch (error) {
    session.user = null;
    if (error.status !== 401) showError(error);
  }
}

/** Log in with a fresh token, load the user, and go back where the shopper was heading. */
async function signIn(email, password) {
  const result = await api.login(email, password);
  setTokens(result);
  await loadUser();
  if (!session.user) throw new Error("Logged in, but the account could not be loaded.");
  await refreshCartCount();
  const target = returnTo && returnTo !== "/login" && returnTo !== "/register" ? returnTo : "/";
  returnTo = null;
  navigate(target);
}

function signOut(message = "You have been logged out.") {
  if (getToken()) api.logout(); // reads the token before it is cleared just below
  clearToken();
  session.user = null;
  session.cartCount = 0;
  session.lastOrder = null;
  returnTo = null;
  updateNav();
  showStatus(message);
  navigate("/login");
}

async function addToCart(product, quantity, button) {
  if (!session.user) {
    requireLogin("Log in to add items to your cart.");
    return false;
  }
  const added = await withBusy(button, "Adding…", async () => {
    try {
      await api.addToCart(product.id, quantity);
      showStatus(`Added ${quantity} × ${product.name} to your cart.`);
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  });
  if (added) await refreshCartCount();
  return Boolean(added);
}

onUnauthorized((error, hadToken) => {
  if (!hadToken) {
    error.handled = false; // a failed login: the login form shows the detail itself
    return;
  }
  renderCount += 1; // whatever view was loading is stale now
  session.user = null;
  session.cartCount = 0;
  session.lastOrder = null;
  updateNav();
  const path = currentPath();
  if (path !== "/login" && path !== "/register") returnTo = path;
  showError(`${error.detail} Please log in again.`);
  if (path !== "/login") navigate("/login");
});

async function loadVersion() {
  const target = document.getElementById("app-version");
  try {
    const info = await api.systemInfo();
    target.textContent = info && info.version ? `Version ${info.version}` : "";
  } catch {
    target.textContent = "";
  }
}

async function start() {
  document.getElementById("logout-button").addEventListener("click", () => signOut());
  // The router owns the hash, so the skip link moves focus itself instead of jumping to #main.
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener("hashchange", () => {
    if (!programmaticNavigation) clearMessages();
    programmaticNavigation = false;
    renderRoute();
  });
  loadVersion();
  await loadUser();
  await refreshCartCount();
  await renderRoute({ focus: false });
  document.body.classList.add("app-ready");
}

start();
