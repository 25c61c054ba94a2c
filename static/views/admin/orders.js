// Orders: every customer's orders newest first (status filter, search by id or email, pages,
// CSV export), and one order's page (#/admin/orders/{id}) with its lines, customer, status
// history and a button for each state it may move to next.

import { api } from "../../api.js";
import { field, formatDate, h, withBusy } from "../../dom.js";
import { formatMoney } from "../../money.js";
import { showError, showStatus } from "../../ui.js";
import { orderLines, statusBadge } from "../orders.js";
import { adminTable, emptyRow, filterForm, pagedList, sectionHeading } from "./shared.js";

export const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"];
const PAGE_SIZE = 20;
const MOVE_LABELS = { paid: "Mark as paid", shipped: "Mark as shipped", delivered: "Mark as delivered" };

function orderRow(order) {
  return h(
    "tr",
    { dataset: { orderId: String(order.id) } },
    h("th", { scope: "row", "data-label": "Order" }, h("a", { href: `#/admin/orders/${order.id}` }, `Order #${order.id}`)),
    h("td", { "data-label": "Placed" }, h("time", { datetime: order.created_at }, formatDate(order.created_at))),
    h("td", { "data-label": "Customer" }, order.customer_email || `User #${order.user_id}`),
    h("td", { "data-label": "Status" }, statusBadge(order.status)),
    h("td", { class: "num", "data-label": "Total" }, formatMoney(order.total_amount)),
  );
}

/** Save a Blob as a file the way a link with `download` does. */
function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportForm(currentStatus) {
  const from = h("input", { type: "date", id: "export-from", name: "from" });
  const to = h("input", { type: "date", id: "export-to", name: "to" });
  const submit = h("button", { type: "submit", class: "button" }, "Download CSV");
  const form = h(
    "form",
    { class: "export-form", "aria-labelledby": "export-title" },
    h("h3", { id: "export-title" }, "Export order lines as CSV"),
    h("div", { class: "filter-row" }, field("From (UTC date)", from), field("To (UTC date)", to), submit),
    h("p", { class: "hint" }, "Uses the status filter above; leave a date empty for no limit."),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    withBusy(submit, "Preparing…", async () => {
      try {
        const { blob, filename } = await api.exportOrders({ from: from.value, to: to.value, status: currentStatus() });
        saveBlob(blob, filename);
        showStatus(`Downloaded ${filename}.`);
      } catch (error) {
        showError(error);
      }
    });
  });
  return form;
}

export async function render(ctx) {
  const tbody = h("tbody");
  const list = pagedList({
    path: "/admin/orders",
    noun: "order",
    fetchPage: (state) => api.adminOrders({ ...state, page_size: PAGE_SIZE }),
    drawItems: (items) => {
      tbody.replaceChildren(...items.map(orderRow));
      if (!items.length) tbody.append(emptyRow(5, "No orders match."));
    },
    isCurrent: ctx.isCurrent,
  });

  await list.load();
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "admin-orders-title" },
    sectionHeading("Orders", "admin-orders-title"),
    filterForm({
      name: "orders",
      state: list.state,
      statusLabel: "Status",
      statusOptions: [["", "All statuses"], ...STATUSES.map((status) => [status, status])],
      searchLabel: "Order id or customer email",
      placeholder: "42 or ada@example.com",
      onChange: list.change,
    }),
    adminTable("admin-orders-title", ["Order", "Placed", "Customer", "Status", ["Total", "num"]], tbody),
    list.paging,
    exportForm(() => list.state.status),
  );
}

// ---- one order ------------------------------------------------------------------------------

function historyRow(change) {
  return h(
    "tr",
    {},
    h("td", { "data-label": "Time" }, h("time", { datetime: change.at }, formatDate(change.at))),
    h("td", { "data-label": "From" }, change.from_status ? statusBadge(change.from_status) : "—"),
    h("td", { "data-label": "To" }, statusBadge(change.to_status)),
    h("td", { "data-label": "By" }, change.actor_email || (change.actor_id ? `User #${change.actor_id}` : "—")),
  );
}

function unitsOf(order) {
  return order.items.reduce((sum, item) => sum + item.quantity, 0);
}

/** A modal question before cancelling; resolves true when the admin confirms. */
function askToCancel(order) {
  const units = unitsOf(order);
  const confirm = h("button", { type: "button", class: "button danger-solid" }, "Yes, cancel the order");
  const keep = h("button", { type: "button", class: "button" }, "Keep the order");
  const dialog = h(
    "dialog",
    { class: "confirm-dialog", "aria-labelledby": "cancel-dialog-title", "aria-describedby": "cancel-dialog-text" },
    h("h2", { id: "cancel-dialog-title" }, `Cancel order #${order.id}?`),
    h("p", { id: "cancel-dialog-text" }, `Its ${units} unit${units === 1 ? "" : "s"} go back in stock. The customer's order cannot be revived.`),
    h("div", { class: "form-actions" }, confirm, keep),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    confirm.addEventListener("click", () => close(true));
    keep.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape: the same as keeping the order
      close(false);
    });
    dialog.showModal();
    keep.focus();
  });
}

function restockSummary(order) {
  const lines = order.items.map((item) => `${item.quantity} × ${item.product?.name ?? "a product"}`);
  const units = unitsOf(order);
  return `Order #${order.id} is cancelled: ${units} unit${units === 1 ? "" : "s"} went back in stock (${lines.join(", ")}).`;
}

function moveButtons(order, onMoved) {
  return order.allowed_transitions.map((next) => {
    const cancelling = next === "cancelled";
    const button = h(
      "button",
      { type: "button", class: cancelling ? "button danger" : "button primary", dataset: { moveTo: next } },
      cancelling ? "Cancel order…" : MOVE_LABELS[next] || `Move to ${next}`,
    );
    button.addEventListener("click", async () => {
      if (cancelling && !(await askToCancel(order))) {
        button.focus();
        return;
      }
      await withBusy(button, "Saving…", async () => {
        try {
          const saved = await api.setOrderStatus(order.id, next);
          showStatus(cancelling ? restockSummary(saved) : `Order #${saved.id} is now ${saved.status}.`);
          await onMoved(saved);
        } catch (error) {
          showError(error);
        }
      });
    });
    return button;
  });
}

export async function renderItem(id, ctx) {
  const order = await api.adminOrder(id);
  const section = h("section", { class: "admin-section admin-order", "aria-labelledby": "admin-order-title" });

  function draw(current) {
    const moves = moveButtons(current, async (saved) => {
      if (!ctx.isCurrent()) return;
      draw(saved);
      section.querySelector("#admin-order-title")?.focus();
    });
    section.dataset.orderId = String(current.id);
    section.replaceChildren(
      h("p", {}, h("a", { href: "#/admin/orders" }, "← All orders")),
      h("div", { class: "order-header" }, h("h2", { id: "admin-order-title", tabindex: "-1" }, `Order #${current.id}`), statusBadge(current.status)),
      h(
        "dl",
        { class: "order-meta" },
        h("div", {}, h("dt", {}, "Placed"), h("dd", {}, h("time", { datetime: current.created_at }, formatDate(current.created_at)))),
        h("div", {}, h("dt", {}, "Customer"), h("dd", { class: "customer" }, current.customer_email || `User #${current.user_id}`)),
        h("div", {}, h("dt", {}, "Total"), h("dd", {}, formatMoney(current.total_amount))),
        h("div", {}, h("dt", {}, "Ship to"), h("dd", { class: "address" }, current.shipping_address || "No address given")),
      ),
      h("div", { class: "form-actions order-moves", role: "group", "aria-label": "Move the order" },
        moves.length ? moves : h("p", { class: "muted" }, `A ${current.status} order is final.`)),
      orderLines(current),
      h("h3", { id: "order-history-title" }, "Status history"),
      adminTable(
        "order-history-title",
        ["Time", "From", "To", "By"],
        h("tbody", {}, current.status_history.length ? current.status_history.map(historyRow) : emptyRow(4, "No changes recorded.")),
      ),
    );
  }
  draw(order);
  return section;
}
