// The admin console: a shell with one address per section (#/admin/<section>[/<id>]) that
// hands the section to its module in admin/. Shown by app.js only when GET /users/me says
// is_admin; the API enforces it anyway, so a forged view only ever gets the API's 403s.

import { h } from "../dom.js";
import { emptyState, loading, showError, viewHeading } from "../ui.js";
import * as dashboard from "./admin/dashboard.js";
import * as orders from "./admin/orders.js";
import * as products from "./admin/products.js";
import * as reset from "./admin/reset.js";
import * as users from "./admin/users.js";

// render(ctx) draws the section, renderItem(id, ctx) one of its items; both return an element.
const SECTIONS = [
  { slug: "dashboard", label: "Dashboard", render: dashboard.render },
  { slug: "orders", label: "Orders", render: orders.render, renderItem: orders.renderItem },
  { slug: "products", label: "Products", render: products.render, renderItem: products.renderItem },
  { slug: "users", label: "Users", render: users.render },
  { slug: "reset", label: "Reset store", render: reset.render },
];
const DEFAULT_SECTION = "dashboard";

function sectionNav(current) {
  return h(
    "nav",
    { class: "admin-nav", "aria-label": "Admin sections" },
    h(
      "ul",
      {},
      SECTIONS.map((section) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: `#/admin/${section.slug}`, "aria-current": section.slug === current ? "page" : null },
            section.label,
          ),
        ),
      ),
    ),
  );
}

/** What a shopper who forged their way in sees: no data, and forms the API refuses. */
function deniedView(error) {
  const body = h(
    "div",
    { class: "admin-view admin-denied" },
    emptyState(
      error.status === 403 || error.status === 401
        ? "You don't have access to the admin console."
        : "This part of the admin console could not be loaded.",
    ),
  );
  if (error.status === 403 || error.status === 401) {
    body.append(products.productForm(async () => {}).form, reset.resetSection(async () => {}));
  }
  return body;
}

export async function render(main, [slug = DEFAULT_SECTION, id] = [], ctx = {}) {
  const section = SECTIONS.find((candidate) => candidate.slug === slug);
  const sectionCtx = {
    isCurrent: () => (ctx.isCurrent ? ctx.isCurrent(ctx.token) : true),
    navigate: ctx.navigate || ((path) => window.location.assign(`#${path}`)),
    afterReset: ctx.afterReset || (async () => {}),
  };

  main.append(viewHeading("Admin console"), sectionNav(section ? section.slug : null));
  const body = h("div", { class: "admin-view" }, loading("Loading the admin console…"));
  main.append(body);

  if (!section || (id && !section.renderItem)) {
    body.replaceChildren(emptyState("There is no such page in the admin console.", h("a", { href: "#/admin" }, "Back to the console")));
    return;
  }
  try {
    const content = id ? await section.renderItem(id, sectionCtx) : await section.render(sectionCtx);
    if (sectionCtx.isCurrent()) body.replaceChildren(content);
  } catch (error) {
    if (!sectionCtx.isCurrent()) return;
    showError(error);
    body.replaceWith(deniedView(error));
  }
}
