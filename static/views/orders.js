// Order confirmation and order history.

import { api } from "../api.js";
import { formatDate, h } from "../dom.js";
import { formatCents, formatMoney, lineCents } from "../money.js";
import { emptyState, loading, session, showError, viewHeading } from "../ui.js";

function statusBadge(status) {
  return h("span", { class: `badge status-${String(status).replace(/[^a-z0-9-]/gi, "")}` }, status);
}

function orderLines(order) {
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

function orderCard(order, headingLevel = "h2") {
  return h(
    "article",
    { class: "order card", dataset: { orderId: String(order.id) }, "aria-labelledby": `order-${order.id}-title` },
    h(
      "header",
      { class: "order-header" },
      h(headingLevel, { id: `order-${order.id}-title` }, `Order #${order.id}`),
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

export async function renderConfirmation(main, [id], ctx) {
  let order = session.lastOrder && String(session.lastOrder.id) === id ? session.lastOrder : null;
  if (!order) {
    // Reloaded page: the contract has no GET /orders/{id}, so look it up in the history.
    try {
      const orders = await api.orders();
      order = orders.find((candidate) => String(candidate.id) === id) || null;
    } catch (error) {
      if (ctx.isCurrent(ctx.token)) showError(error);
      return;
    }
  }
  if (!ctx.isCurrent(ctx.token)) return;
  if (!order) {
    main.append(
      viewHeading("Order not found"),
      emptyState("We could not find that order in your history.", h("a", { href: "#/orders", class: "button" }, "See your orders")),
    );
    return;
  }
  main.append(
    h(
      "section",
      { class: "confirmation" },
      viewHeading("Thank you for your order!"),
      h("p", { class: "lede" }, `Order #${order.id} is confirmed. We'll get it ready for the track.`),
      orderCard(order),
      h(
        "p",
        { class: "form-actions" },
        h("a", { href: "#/", class: "button primary" }, "Continue shopping"),
        h("a", { href: "#/orders", class: "button" }, "See all orders"),
      ),
    ),
  );
}
