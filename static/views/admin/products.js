// Products: the list (create, edit, inline price/stock, activate, delete) and one product's
// page (#/admin/products/{id}) with its stock ledger and a form to adjust the stock.

import { api } from "../../api.js";
import { field, formatDate, h, uniqueId, withBusy } from "../../dom.js";
import { formatMoney } from "../../money.js";
import { productImage, showError, showStatus } from "../../ui.js";
import { adminTable, emptyRow, filterForm, hashQuery, pagedList, sectionHeading, wholeNumber } from "./shared.js";

function statusBadge(product) {
  return h("span", { class: `badge ${product.is_active ? "badge-ok" : "badge-muted"}` }, product.is_active ? "Active" : "Inactive");
}

// ---- the product form -----------------------------------------------------------------------

export function productForm(onSaved) {
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
      inventory_count: wholeNumber(stock.value),
      image_url: imageUrl.value.trim() || null,
      is_active: active.checked,
    };
    await withBusy(submit, editing ? "Saving…" : "Creating…", async () => {
      try {
        const saved = editing ? await api.updateProduct(editing.id, fields) : await api.createProduct(fields);
        showStatus(editing ? `Saved “${saved.name}”.` : `Created “${saved.name}”.`);
        reset();
        await onSaved(saved);
      } catch (error) {
        showError(error);
      }
    });
  });

  return { form, edit };
}

// ---- the list -------------------------------------------------------------------------------

function deleteConfirmation(product, actionsCell, actions, onDeleted) {
  const confirmButton = h("button", { type: "button", class: "button small danger-solid" }, "Yes, delete");
  const cancelButton = h("button", { type: "button", class: "button small" }, "Cancel");
  const question = h(
    "div",
    { class: "row-confirm", role: "group", "aria-label": `Confirm deleting ${product.name}` },
    h("span", {}, `Delete “${product.name}”?`),
    confirmButton,
    cancelButton,
  );
  actionsCell.replaceChildren(question);
  cancelButton.focus();
  cancelButton.addEventListener("click", () => {
    actionsCell.replaceChildren(actions);
    actions.querySelector(".danger")?.focus();
  });
  confirmButton.addEventListener("click", () =>
    withBusy(confirmButton, "Deleting…", async () => {
      try {
        await api.deleteProduct(product.id);
        showStatus(`Deleted “${product.name}”.`);
        await onDeleted(product);
      } catch (error) {
        showError(error);
        actionsCell.replaceChildren(actions);
      }
    }),
  );
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
  const history = h(
    "a",
    { class: "button small subtle", href: `#/admin/products/${product.id}`, "aria-label": `Stock history of ${product.name}` },
    "Stock",
  );
  const actions = h("div", { class: "row-actions" }, save, edit, history, toggle, remove);
  const actionsCell = h("td", { "data-label": "Actions" }, actions);

  save.addEventListener("click", () =>
    withBusy(save, "Saving…", async () => {
      const changes = {};
      if (priceInput.value.trim() !== product.price) changes.price = priceInput.value.trim();
      const stock = wholeNumber(stockInput.value);
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
        showStatus(`“${saved.name}” is now ${saved.is_active ? "active" : "inactive (hidden from the catalog)"}.`);
        await handlers.replace(saved);
      } catch (error) {
        showError(error);
      }
    }),
  );
  remove.addEventListener("click", () => deleteConfirmation(product, actionsCell, actions, handlers.remove));

  return h(
    "tr",
    { dataset: { productId: String(product.id) }, class: product.is_active ? "" : "inactive" },
    h(
      "th",
      { scope: "row", "data-label": "Product" },
      h(
        "div",
        { class: "admin-product" },
        productImage(product, "thumb small", true),
        h("span", {}, h("span", { class: "admin-product-name" }, product.name), h("span", { class: "muted" }, ` #${product.id}`)),
      ),
    ),
    h("td", { "data-label": "Price" }, priceInput),
    h("td", { "data-label": "Stock" }, stockInput),
    h("td", { "data-label": "Status" }, statusBadge(product)),
    actionsCell,
  );
}

const PAGE_SIZE = 50;

export async function render(ctx) {
  let products = [];
  const tbody = h("tbody");
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
      products = products.filter((product) => product.id !== removed.id);
      draw();
    },
  };
  const editor = productForm((saved) => handlers.replace(saved));
  const list = pagedList({
    path: "/admin/products",
    noun: "product",
    fetchPage: (state) => api.adminProducts({ ...state, page_size: PAGE_SIZE }),
    drawItems: (items) => {
      products = items;
      draw();
    },
    isCurrent: ctx.isCurrent,
  });

  function draw() {
    tbody.replaceChildren(...products.map((product) => productRow(product, handlers)));
    const filtered = list.state.q || list.state.status;
    if (!products.length) tbody.append(emptyRow(5, filtered ? "No products match." : "No products yet. Add one above."));
  }

  await list.load();
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "admin-products-title" },
    sectionHeading("Products", "admin-products-title"),
    editor.form,
    filterForm({
      name: "products",
      state: list.state,
      statusLabel: "Show",
      statusOptions: [["", "Active and inactive"], ["active", "Active only"], ["inactive", "Inactive only"]],
      searchLabel: "Name or description",
      placeholder: "visor",
      onChange: list.change,
    }),
    adminTable("admin-products-title", ["Product", "Price", "Stock", "Status", "Actions"], tbody),
    list.paging,
  );
}

// ---- one product: stock ledger and adjustment ----------------------------------------------

function movementSource(movement, emails) {
  if (movement.order_id) {
    return h("a", { href: `#/admin/orders/${movement.order_id}` }, `Order #${movement.order_id}`);
  }
  if (movement.user_id) return emails.get(movement.user_id) || `Admin #${movement.user_id}`;
  return "—";
}

function ledgerRow(movement, emails) {
  const delta = movement.delta > 0 ? `+${movement.delta}` : String(movement.delta);
  return h(
    "tr",
    { dataset: { movementId: String(movement.id) } },
    h("td", { "data-label": "Time" }, h("time", { datetime: movement.created_at }, formatDate(movement.created_at))),
    h("td", { class: "num", "data-label": "Change" }, delta),
    h("td", { class: "num", "data-label": "In stock after" }, String(movement.resulting_count)),
    h("td", { "data-label": "Reason" }, movement.reason),
    h("td", { "data-label": "By" }, movementSource(movement, emails)),
  );
}

function adjustForm(product, onAdjusted, { focus = false } = {}) {
  const delta = h("input", {
    type: "number",
    step: "1",
    required: true,
    name: "delta",
    class: "inline-input",
    id: "stock-delta",
    dataset: focus ? { autofocus: "" } : null,
  });
  const reason = h("input", { type: "text", required: true, maxlength: "200", name: "reason", id: "stock-reason" });
  const submit = h("button", { type: "submit", class: "button primary" }, "Adjust stock");
  const form = h(
    "form",
    { class: "card adjust-form", id: "stock-adjust", "aria-labelledby": "stock-adjust-title" },
    h("h3", { id: "stock-adjust-title" }, "Adjust the stock"),
    h(
      "div",
      { class: "form-grid" },
      field("Change (units)", delta, "Positive to restock, negative to write off"),
      field("Reason", reason, "Required, e.g. “delivery from supplier”"),
    ),
    h("div", { class: "form-actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const change = wholeNumber(delta.value);
    if (change === 0) {
      showError("Enter a change other than zero.");
      delta.focus();
      return;
    }
    withBusy(submit, "Adjusting…", async () => {
      try {
        const saved = await api.adjustStock(product.id, change, reason.value.trim());
        showStatus(`Stock of “${saved.name}” is now ${saved.inventory_count}.`);
        form.reset();
        await onAdjusted(saved);
      } catch (error) {
        showError(error);
      }
    });
  });
  return form;
}

async function userEmails() {
  try {
    const users = await api.users();
    return new Map(users.map((user) => [user.id, user.email]));
  } catch {
    return new Map(); // the ledger still reads without names
  }
}

export async function renderItem(id, ctx) {
  const [product, emails] = await Promise.all([api.product(id), userEmails()]);
  const summary = h("dl", { class: "order-meta" });
  const tbody = h("tbody");

  function drawSummary(current) {
    summary.replaceChildren(
      h("div", {}, h("dt", {}, "In stock"), h("dd", { class: "stock-count" }, String(current.inventory_count))),
      h("div", {}, h("dt", {}, "Price"), h("dd", {}, formatMoney(current.price))),
      h("div", {}, h("dt", {}, "Status"), h("dd", {}, statusBadge(current))),
    );
  }

  async function drawLedger() {
    const { items } = await api.stockLedger(product.id, { page: 1, page_size: 100 });
    if (!ctx.isCurrent()) return;
    tbody.replaceChildren(...items.map((movement) => ledgerRow(movement, emails)));
    if (!items.length) tbody.append(emptyRow(5, "No stock movements yet."));
  }

  drawSummary(product);
  await drawLedger();
  // #/admin/products/{id}?restock (the dashboard's Restock links) starts at the adjust form.
  const restocking = hashQuery().has("restock");
  const form = adjustForm(
    product,
    async (saved) => {
      drawSummary(saved);
      await drawLedger();
    },
    { focus: restocking },
  );

  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "admin-product-title", dataset: { productId: String(product.id) } },
    h("p", {}, h("a", { href: "#/admin/products" }, "← All products")),
    sectionHeading(`${product.name} (#${product.id})`, "admin-product-title"),
    summary,
    form,
    h("h3", { id: "stock-ledger-title" }, "Stock history"),
    adminTable("stock-ledger-title", ["Time", ["Change", "num"], ["In stock after", "num"], "Reason", "By"], tbody),
  );
}
