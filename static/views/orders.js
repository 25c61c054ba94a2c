// Order history and one order's page (with the confirmation right after checkout).

import { api } from "../api.js";
import { formatDate, h } from "../dom.js";
import { formatCents, formatMoney, lineCents } from "../money.js";
import { confirmStep, emptyState, loading, session, showError, showStatus, viewHeading } from "../ui.js";

export function statusBadge(status) {
  return h("span", { class: `badge status-${String(status).replace(/[^a-z0-9-]/gi, "")}` }, status);
}

export function orderLines(order) {
  return h(
    "table",
    { class: "order-lines" },
    h("caption", { class: "visually-hidden" }, `Items in order #${order.id}`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Product"),
        h("th", { scope: "col", class: "num" }, "Qty"),
        h("th", { scope: "col", class: "num" }, "Unit price"),
        h("th", { scope: "col", class: "num" }, "Line total"),
      ),
    ),
    h(
      "tbody",
      {},
      order.items.map((item) =>
        h(
          "tr",
          {},
          h("th", { scope: "row", "data-label": "Product" }, item.product?.name ?? `Product #${item.id}`),
          h("td", { class: "num", "data-label": "Qty" }, String(item.quantity)),
          h("td", { class: "num", "data-label": "Unit price" }, formatMoney(item.unit_price)),
          h("td", { class: "num", "data-label": "Line total" }, formatCents(lineCents(item.unit_price, item.quantity))),
        ),
      ),
    ),
    h(
      "tfoot",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "row", colspan: "3" }, "Total"),
        h("td", { class: "num order-total", "data-label": "Total" }, formatMoney(order.total_amount)),
      ),
    ),
  );
}

function orderCard(order, { linked = true } = {}) {
  return h(
    "article",
    { class: "order card", dataset: { orderId: String(order.id) }, "aria-labelledby": `order-${order.id}-title` },
    h(
      "header",
      { class: "order-header" },
      h(
        "h2",
        { id: `order-${order.id}-title` },
        linked ? h("a", { href: `#/orders/${order.id}` }, `Order #${order.id}`) : `Order #${order.id}`,
      ),
      statusBadge(order.status),
    ),
    h(
      "dl",
      { class: "order-meta" },
      h("div", {}, h("dt", {}, "Placed"), h("dd", {}, h("time", { datetime: order.created_at }, formatDate(order.created_at)))),
      h("div", {}, h("dt", {}, "Total"), h("dd", { class: "order-total-amount" }, formatMoney(order.total_amount))),
      h(
        "div",
        {},
        h("dt", {}, "Ship to"),
        h("dd", { class: "address" }, order.shipping_address ? order.shipping_address : "No address given"),
      ),
    ),
    orderLines(order),
  );
}

export async function renderHistory(main, params, ctx) {
  main.append(viewHeading("Your orders"));
  const body = h("div", { class: "orders-view" }, loading("Loading your orders…"));
  main.append(body);
  let orders;
  try {
    orders = await api.orders();
  } catch (error) {
    if (!ctx.isCurrent(ctx.token)) return;
    showError(error);
    body.replaceChildren(emptyState("Your orders could not be loaded."));
    return;
  }
  if (!ctx.isCurrent(ctx.token)) return;
  if (!orders.length) {
    body.replaceChildren(
      emptyState("No orders yet.", h("a", { href: "#/", class: "button primary" }, "Start shopping")),
    );
    return;
  }
  body.replaceChildren(h("ol", { class: "order-list", role: "list" }, orders.map((order) => h("li", {}, orderCard(order)))));
}

function cancelPanel(order, onCancelled) {
  return confirmStep({
    startLabel: "Cancel order",
    question: [h("strong", {}, `Cancel order #${order.id}?`), " Its items go back on the shelf."],
    confirmLabel: "Yes, cancel the order",
    keepLabel: "Keep the order",
    busyLabel: "Cancelling…",
    onConfirm: async () => {
      const cancelled = await api.cancelOrder(order.id);
      showStatus(`Order #${cancelled.id} is cancelled.`);
      await onCancelled(cancelled);
    },
  });
}

/** #/orders/{id}: one of the shopper's orders; right after checkout, with a thank-you. */
export async function renderOrder(main, [id], ctx) {
  // The thank-you shows once, right after checkout; coming back later shows the plain page.
  const justPlaced = Boolean(session.lastOrder && String(session.lastOrder.id) === id);
  const placed = session.lastOrder;
  session.lastOrder = null;
  let order;
  try {
    order = justPlaced ? placed : await api.order(id);
  } catch (error) {
    if (!ctx.isCurrent(ctx.token)) return;
    if (error.status !== 404) {
      showError(error);
      main.append(viewHeading("Order"), emptyState("This order could not be loaded."));
      return;
    }
    main.append(
      viewHeading("Order not found"),
      emptyState("We could not find that order in your history.", h("a", { href: "#/orders", class: "button" }, "See your orders")),
    );
    return;
  }
  if (!ctx.isCurrent(ctx.token)) return;

  const section = h("section", { class: "confirmation" });
  function draw(current, thanks) {
    section.replaceChildren(
      thanks ? viewHeading("Thank you for your order!") : viewHeading(`Order #${current.id}`),
      thanks ? h("p", { class: "lede" }, `Order #${current.id} is confirmed. We'll get it ready for the track.`) : null,
      orderCard(current, { linked: false }),
      current.status === "pending"
        ? cancelPanel(current, async (cancelled) => {
            draw(cancelled, false);
            section.querySelector(".view-title")?.focus();
          })
        : null,
      h(
        "p",
        { class: "form-actions" },
        h("a", { href: "#/", class: "button primary" }, "Continue shopping"),
        h("a", { href: "#/orders", class: "button" }, "See all orders"),
      ),
    );
  }
  draw(order, justPlaced);
  main.append(section);
}
