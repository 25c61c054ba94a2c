// The cart: edit quantities, remove lines, see the subtotal, and check out.

import { api } from "../api.js";
import { field, h, withBusy } from "../dom.js";
import { formatCents, formatMoney, lineCents } from "../money.js";
import {
  clampQuantity,
  emptyState,
  loading,
  productImage,
  session,
  showError,
  showStatus,
  viewHeading,
} from "../ui.js";

// The address survives a failed checkout and a trip back to the catalog.
let draftAddress = "";
// One checkout at a time, whatever the DOM looks like (a re-render makes a new button).
let placingOrder = false;

function cartLine(item, ctx, reload) {
  const product = item.product;
  const qtyId = `cart-qty-${item.id}`;
  const input = h("input", {
    id: qtyId,
    type: "number",
    inputmode: "numeric",
    min: "1",
    max: String(Math.max(product.inventory_count, item.quantity, 1)),
    step: "1",
    value: String(item.quantity),
    class: "qty-input",
  });
  const lineTotal = h("span", { class: "line-total" }, formatCents(lineCents(product.price, item.quantity)));
  const remove = h(
    "button",
    { type: "button", class: "button subtle danger", "aria-label": `Remove ${product.name} from cart` },
    "Remove",
  );

  let saved = item.quantity;
  input.addEventListener("change", async () => {
    const wanted = clampQuantity(input.value, Math.max(product.inventory_count, 1));
    if (wanted === null) {
      showError("Enter a whole number of items (at least 1).");
      input.value = String(saved);
      return;
    }
    input.value = String(wanted);
    if (wanted === saved) return;
    input.disabled = true;
    input.setAttribute("aria-busy", "true");
    try {
      const updated = await api.updateCartItem(item.id, wanted);
      saved = updated.quantity;
      input.value = String(saved);
      lineTotal.textContent = formatCents(lineCents(updated.product.price, updated.quantity));
      showStatus(`${product.name}: quantity set to ${saved}.`);
      await reload();
    } catch (error) {
      input.value = String(saved);
      showError(error);
    } finally {
      input.disabled = false;
      input.removeAttribute("aria-busy");
    }
  });

  remove.addEventListener("click", () =>
    withBusy(remove, "Removing…", async () => {
      try {
        await api.removeCartItem(item.id);
        showStatus(`Removed ${product.name} from your cart.`);
        await reload({ rerender: true });
      } catch (error) {
        showError(error);
      }
    }),
  );

  return h(
    "li",
    { class: "cart-line", dataset: { itemId: String(item.id), productId: String(product.id) } },
    h("a", { href: `#/product/${product.id}`, class: "cart-thumb", tabindex: "-1", "aria-hidden": "true" }, productImage(product, "thumb", true)),
    h(
      "div",
      { class: "cart-line-main" },
      h("h2", { class: "cart-line-name" }, h("a", { href: `#/product/${product.id}` }, product.name)),
      h("p", { class: "muted" }, `${formatMoney(product.price)} each`),
    ),
    h(
      "div",
      { class: "cart-line-qty qty-field" },
      h("label", { for: qtyId }, "Quantity", h("span", { class: "visually-hidden" }, ` of ${product.name}`)),
      input,
    ),
    h("div", { class: "cart-line-total" }, h("span", { class: "visually-hidden" }, "Line total "), lineTotal),
    h("div", { class: "cart-line-actions" }, remove),
  );
}

export async function render(main, params, ctx) {
  main.append(viewHeading("Your cart"));
  const body = h("div", { class: "cart-view" }, loading("Loading your cart…"));
  main.append(body);

  const draw = (cart) => {
    ctx.setCartCount(cart.items.reduce((sum, item) => sum + item.quantity, 0));
    if (!cart.items.length) {
      body.replaceChildren(
        emptyState("Your cart is empty.", h("a", { href: "#/", class: "button primary" }, "Browse the catalog")),
      );
      return;
    }
    body.replaceChildren(
      h("ul", { class: "cart-lines", role: "list", "aria-label": "Items in your cart" }, cart.items.map((item) => cartLine(item, ctx, reload))),
      checkoutPanel(cart, ctx, reload),
    );
  };

  async function reload({ rerender = false } = {}) {
    const cart = await api.cart();
    if (!ctx.isCurrent(ctx.token)) return;
    if (rerender || !body.querySelector(".cart-lines")) {
      draw(cart);
      return;
    }
    // Update in place so the quantity box being edited keeps its focus.
    const subtotal = body.querySelector("[data-subtotal]");
    if (subtotal) subtotal.textContent = formatMoney(cart.subtotal);
    ctx.setCartCount(cart.items.reduce((sum, item) => sum + item.quantity, 0));
  }

  try {
    const cart = await api.cart();
    if (ctx.isCurrent(ctx.token)) draw(cart);
  } catch (error) {
    if (!ctx.isCurrent(ctx.token)) return;
    showError(error);
    body.replaceChildren(emptyState("Your cart could not be loaded."));
  }
}

function checkoutPanel(cart, ctx, reload) {
  const address = h("textarea", {
    id: "shipping-address",
    name: "shipping_address",
    rows: 3,
    maxlength: "500",
    autocomplete: "shipping street-address",
  });
  address.value = draftAddress;
  address.addEventListener("input", () => {
    draftAddress = address.value;
  });
  const submit = h("button", { type: "submit", class: "button primary wide" }, "Place order");
  const form = h(
    "form",
    { class: "checkout card", "aria-labelledby": "checkout-title" },
    h("h2", { id: "checkout-title" }, "Checkout"),
    h(
      "p",
      { class: "subtotal" },
      h("span", {}, "Subtotal"),
      h("strong", { "data-subtotal": "" }, formatMoney(cart.subtotal)),
    ),
    field("Shipping address (optional)", address, "Where should we send your order? You may leave this empty."),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (placingOrder) return;
    placingOrder = true;
    try {
      await withBusy(submit, "Placing order…", async () => {
        let order;
        try {
          order = await api.placeOrder(address.value.trim());
        } catch (error) {
          showError(error);
          // Stock may have moved under us: show the cart as the server sees it now.
          await reload({ rerender: true }).catch(() => {});
          return;
        }
        draftAddress = "";
        session.lastOrder = order;
        ctx.setCartCount(0);
        showStatus(`Thank you! Order #${order.id} is placed.`);
        ctx.navigate(`/orders/${order.id}`);
      });
    } finally {
      placingOrder = false;
    }
  });
  return form;
}
