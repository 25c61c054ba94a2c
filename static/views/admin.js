// The admin console: products (create, edit, inline price/stock, activate, delete), users
// (promote/demote) and the store reset. Shown by app.js only when GET /users/me says
// is_admin; the API enforces it anyway, so a forged view only ever gets the API's 403s.

import { api } from "../api.js";
import { field, formatDate, h, uniqueId, withBusy } from "../dom.js";
import { formatMoney } from "../money.js";
import { emptyState, loading, productImage, session, showError, showStatus, viewHeading } from "../ui.js";

// GET /products lists active products only; products this browser deactivated are
// remembered here and fetched one by one (admins may GET an inactive product by id).
const INACTIVE_KEY = "shop.admin.inactiveProductIds";

function readInactiveIds() {
  try {
    const ids = JSON.parse(window.localStorage.getItem(INACTIVE_KEY) || "[]");
    return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

function writeInactiveIds(ids) {
  try {
    window.localStorage.setItem(INACTIVE_KEY, JSON.stringify([...new Set(ids)]));
  } catch {
    // Not remembering is harmless: the product can still be looked up by id.
  }
}

function rememberInactive(product) {
  const ids = readInactiveIds().filter((id) => id !== product.id);
  if (!product.is_active) ids.push(product.id);
  writeInactiveIds(ids);
}

function forgetProduct(id) {
  writeInactiveIds(readInactiveIds().filter((known) => known !== id));
}

/** Turn the form's stock text into a number when it is one; otherwise let the API say why not. */
function stockValue(text) {
  const trimmed = String(text).trim();
  return /^\d+$/.test(trimmed) ? Number.parseInt(trimmed, 10) : trimmed;
}

function sectionHeading(text, id) {
  return h("h2", { id }, text);
}

// ---- products -------------------------------------------------------------------------------

function productForm(onSaved) {
  const name = h("input", { type: "text", name: "name", required: true, maxlength: "200" });
  const description = h("textarea", { name: "description", rows: 3 });
  const price = h("input", { type: "text", name: "price", inputmode: "decimal", required: true, placeholder: "99.00" });
  const stock = h("input", { type: "number", name: "inventory_count", min: "0", step: "1", required: true, value: "0" });
  const imageUrl = h("input", { type: "text", name: "image_url", placeholder: "/images/products/….svg" });
  const active = h("input", { type: "checkbox", name: "is_active", checked: true, id: uniqueId("active") });
  const title = h("h3", { id: "product-form-title" }, "Add a product");
  const submit = h("button", { type: "submit", class: "button primary" }, "Create product");
  const cancel = h("button", { type: "button", class: "button", hidden: true }, "Cancel editing");

  let editing = null;

  const form = h(
    "form",
    { class: "product-form card", "aria-labelledby": "product-form-title", id: "product-form" },
    title,
    h(
      "div",
      { class: "form-grid" },
      field("Name", name),
      field("Price", price, "Decimal, e.g. 349.90"),
      field("Stock", stock),
      field("Image URL (optional)", imageUrl),
      h("div", { class: "field span-2" }, h("label", { for: (description.id = uniqueId("desc")) }, "Description"), description),
      h("div", { class: "field checkbox-field" }, active, h("label", { for: active.id }, "Active (visible in the catalog)")),
    ),
    h("div", { class: "form-actions" }, submit, cancel),
  );

  function reset() {
    editing = null;
    form.reset();
    active.checked = true;
    stock.value = "0";
    title.textContent = "Add a product";
    submit.textContent = "Create product";
    cancel.hidden = true;
  }

  function edit(product) {
    editing = product;
    name.value = product.name;
    description.value = product.description || "";
    price.value = product.price;
    stock.value = String(product.inventory_count);
    imageUrl.value = product.image_url || "";
    active.checked = Boolean(product.is_active);
    title.textContent = `Edit “${product.name}”`;
    submit.textContent = "Save changes";
    cancel.hidden = false;
    form.scrollIntoView({ block: "start" });
    name.focus();
  }

  cancel.addEventListener("click", reset);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = {
      name: name.value.trim(),
      description: description.value.trim(),
      price: price.value.trim(),
      inventory_count: stockValue(stock.value),
      image_url: imageUrl.value.trim() || null,
      is_active: active.checked,
    };
    await withBusy(submit, editing ? "Saving…" : "Creating…", async () => {
      try {
        const saved = editing ? await api.updateProduct(editing.id, fields) : await api.createProduct(fields);
        showStatus(editing ? `Saved “${saved.name}”.` : `Created “${saved.name}”.`);
        rememberInactive(saved);
        reset();
        await onSaved(saved);
      } catch (error) {
        showError(error);
      }
    });
  });

  return { form, edit };
}

function productRow(product, handlers) {
  const priceInput = h("input", {
    type: "text",
    inputmode: "decimal",
    value: product.price,
    class: "inline-input",
    "aria-label": `Price of ${product.name}`,
  });
  const stockInput = h("input", {
    type: "number",
    min: "0",
    step: "1",
    value: String(product.inventory_count),
    class: "inline-input",
    "aria-label": `Stock of ${product.name}`,
  });
  const save = h("button", { type: "button", class: "button small", "aria-label": `Save price and stock of ${product.name}` }, "Save");
  const edit = h("button", { type: "button", class: "button small subtle", "aria-label": `Edit ${product.name}` }, "Edit");
  const toggle = h(
    "button",
    { type: "button", class: "button small subtle", "aria-label": `${product.is_active ? "Deactivate" : "Activate"} ${product.name}` },
    product.is_active ? "Deactivate" : "Activate",
  );
  const remove = h("button", { type: "button", class: "button small subtle danger", "aria-label": `Delete ${product.name}` }, "Delete");
  const actions = h("div", { class: "row-actions" }, save, edit, toggle, remove);
  const actionsCell = h("td", { "data-label": "Actions" }, actions);

  save.addEventListener("click", () =>
    withBusy(save, "Saving…", async () => {
      const changes = {};
      if (priceInput.value.trim() !== product.price) changes.price = priceInput.value.trim();
      const stock = stockValue(stockInput.value);
      if (stock !== product.inventory_count) changes.inventory_count = stock;
      if (!Object.keys(changes).length) {
        showStatus(`Nothing changed for “${product.name}”.`);
        return;
      }
      try {
        const saved = await api.updateProduct(product.id, changes);
        showStatus(`Saved “${saved.name}”: ${formatMoney(saved.price)}, ${saved.inventory_count} in stock.`);
        await handlers.replace(saved);
      } catch (error) {
        showError(error);
      }
    }),
  );
  for (const input of [priceInput, stockInput]) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        save.click();
      }
    });
  }
  edit.addEventListener("click", () => handlers.edit(product));
  toggle.addEventListener("click", () =>
    withBusy(toggle, product.is_active ? "Deactivating…" : "Activating…", async () => {
      try {
        const saved = await api.updateProduct(product.id, { is_active: !product.is_active });
        rememberInactive(saved);
        showStatus(`“${saved.name}” is now ${saved.is_active ? "active" : "inactive (hidden from the catalog)"}.`);
        await handlers.replace(saved);
      } catch (error) {
        showError(error);
      }
    }),
  );
  remove.addEventListener("click", () => {
    const confirmButton = h("button", { type: "button", class: "button small danger-solid" }, "Yes, delete");
    const cancelButton = h("button", { type: "button", class: "button small" }, "Cancel");
    const question = h("div", { class: "row-confirm", role: "group", "aria-label": `Confirm deleting ${product.name}` }, h("span", {}, `Delete “${product.name}”?`), confirmButton, cancelButton);
    actionsCell.replaceChildren(question);
    cancelButton.focus();
    cancelButton.addEventListener("click", () => {
      actionsCell.replaceChildren(actions);
      remove.focus();
    });
    confirmButton.addEventListener("click", () =>
      withBusy(confirmButton, "Deleting…", async () => {
        try {
          await api.deleteProduct(product.id);
          forgetProduct(product.id);
          showStatus(`Deleted “${product.name}”.`);
          await handlers.remove(product);
        } catch (error) {
          showError(error);
          actionsCell.replaceChildren(actions);
        }
      }),
    );
  });

  return h(
    "tr",
    { dataset: { productId: String(product.id) }, class: product.is_active ? "" : "inactive" },
    h(
      "th",
      { scope: "row", "data-label": "Product" },
      h("div", { class: "admin-product" }, productImage(product, "thumb small", true), h("span", {}, h("span", { class: "admin-product-name" }, product.name), h("span", { class: "muted" }, ` #${product.id}`))),
    ),
    h("td", { "data-label": "Price" }, priceInput),
    h("td", { "data-label": "Stock" }, stockInput),
    h("td", { "data-label": "Status" }, h("span", { class: `badge ${product.is_active ? "badge-ok" : "badge-muted"}` }, product.is_active ? "Active" : "Inactive")),
    actionsCell,
  );
}

async function loadAdminProducts() {
  const active = await api.products();
  const seen = new Set(active.map((product) => product.id));
  const extra = [];
  for (const id of readInactiveIds()) {
    if (seen.has(id)) continue;
    try {
      extra.push(await api.product(id));
    } catch (error) {
      if (error.status === 404) forgetProduct(id);
      else throw error;
    }
  }
  return [...active, ...extra].sort((a, b) => a.id - b.id);
}

function productsSection(products, ctx) {
  const table = h(
    "table",
    { class: "admin-table", "aria-labelledby": "admin-products-title" },
    h(
      "thead",
      {},
      h("tr", {}, ["Product", "Price", "Stock", "Status", "Actions"].map((label) => h("th", { scope: "col" }, label))),
    ),
  );
  const tbody = h("tbody");
  table.append(tbody);

  const handlers = {
    edit: (product) => editor.edit(product),
    replace: async (saved) => {
      const index = products.findIndex((product) => product.id === saved.id);
      if (index >= 0) products[index] = saved;
      else products.push(saved);
      draw();
      tbody.querySelector(`tr[data-product-id="${saved.id}"] button`)?.focus();
    },
    remove: async (removed) => {
      const index = products.findIndex((product) => product.id === removed.id);
      if (index >= 0) products.splice(index, 1);
      draw();
    },
  };
  const editor = productForm((saved) => handlers.replace(saved));

  function draw() {
    tbody.replaceChildren(...products.map((product) => productRow(product, handlers)));
    if (!products.length) {
      tbody.append(h("tr", {}, h("td", { colspan: "5" }, "No products yet. Add one above.")));
    }
  }
  draw();

  const lookupInput = h("input", { type: "number", min: "1", step: "1", id: "admin-lookup-id", class: "inline-input" });
  const lookupButton = h("button", { type: "submit", class: "button small" }, "Show");
  const lookup = h(
    "form",
    { class: "lookup-form", "aria-label": "Show a product by id" },
    h("label", { for: lookupInput.id }, "Show an inactive product by id"),
    lookupInput,
    lookupButton,
  );
  lookup.addEventListener("submit", (event) => {
    event.preventDefault();
    withBusy(lookupButton, "Loading…", async () => {
      try {
        const product = await api.product(lookupInput.value.trim());
        rememberInactive(product);
        await handlers.replace(product);
        lookupInput.value = "";
      } catch (error) {
        showError(error);
      }
    });
  });

  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "admin-products-title" },
    sectionHeading("Products", "admin-products-title"),
    editor.form,
    h("div", { class: "table-scroll" }, table),
    lookup,
  );
}

// ---- users ----------------------------------------------------------------------------------

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

function usersSection(users) {
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
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "admin-table", "aria-labelledby": "admin-users-title" },
        h("thead", {}, h("tr", {}, ["Email", "Name", "Role", "Joined", "Actions"].map((label) => h("th", { scope: "col" }, label)))),
        tbody,
      ),
    ),
  );
}

// ---- reset ----------------------------------------------------------------------------------

function resetSection(afterReset) {
  const start = h("button", { type: "button", class: "button danger-solid" }, "Reset store…");
  const confirm = h("button", { type: "button", class: "button danger-solid" }, "Yes, reset the store");
  const cancel = h("button", { type: "button", class: "button" }, "Cancel");
  const panel = h(
    "div",
    { class: "confirm-panel", role: "group", "aria-labelledby": "reset-question", hidden: true },
    h("p", { id: "reset-question" }, h("strong", {}, "Reset the whole store?"), " Every user, cart and order is deleted, and the catalog and admin account go back to the demo seed. This cannot be undone."),
    h("div", { class: "form-actions" }, confirm, cancel),
  );
  start.addEventListener("click", () => {
    panel.hidden = false;
    start.hidden = true;
    cancel.focus();
  });
  cancel.addEventListener("click", () => {
    panel.hidden = true;
    start.hidden = false;
    start.focus();
  });
  confirm.addEventListener("click", () =>
    withBusy(confirm, "Resetting…", async () => {
      try {
        const result = await api.resetStore();
        writeInactiveIds([]);
        panel.hidden = true;
        start.hidden = false;
        const detail = result?.detail || "The store was reset.";
        showStatus(detail);
        await afterReset(detail);
      } catch (error) {
        showError(error);
      }
    }),
  );
  return h(
    "section",
    { class: "admin-section danger-zone", "aria-labelledby": "admin-reset-title" },
    sectionHeading("Reset store", "admin-reset-title"),
    h("p", {}, "Empties every table and reseeds the demo catalog and admin account."),
    start,
    panel,
  );
}

// ---- the console ----------------------------------------------------------------------------

export async function render(main, params, ctx = {}) {
  const isCurrent = () => (ctx.isCurrent ? ctx.isCurrent(ctx.token) : true);
  const rerender = async (detail) => {
    if (ctx.afterReset) return ctx.afterReset(detail);
    main.replaceChildren();
    return render(main, params, ctx);
  };

  main.append(viewHeading("Admin console"));
  const body = h("div", { class: "admin-view" }, loading("Loading the admin console…"));
  main.append(body);

  // Users first: it is admin-only, so it doubles as the check that this token may see admin data.
  let users;
  try {
    users = await api.users();
  } catch (error) {
    if (!isCurrent()) return;
    showError(error);
    body.replaceChildren(
      emptyState(error.status === 403 || error.status === 401 ? "You don't have access to the admin console." : "The admin console could not be loaded."),
      productForm(async () => {}).form,
      resetSection(async () => {}),
    );
    body.classList.add("admin-denied");
    return;
  }

  let products;
  try {
    products = await loadAdminProducts();
  } catch (error) {
    if (!isCurrent()) return;
    showError(error);
    products = [];
  }
  if (!isCurrent()) return;

  body.replaceChildren(productsSection(products, ctx), usersSection(users), resetSection(rerender));
}
