// One product: big image, full description, quantity picker.

import { api } from "../api.js";
import { h } from "../dom.js";
import { formatMoney } from "../money.js";
import {
  clampQuantity,
  emptyState,
  productImage,
  quantityInput,
  showError,
  stockLabel,
  viewHeading,
} from "../ui.js";

export async function render(main, [id], ctx) {
  let product;
  try {
    product = await api.product(id);
  } catch (error) {
    if (!ctx.isCurrent(ctx.token)) return;
    showError(error);
    main.append(
      viewHeading("Product not available"),
      emptyState("This product could not be found.", h("a", { href: "#/", class: "button" }, "Back to the catalog")),
    );
    return;
  }
  if (!ctx.isCurrent(ctx.token)) return;

  const soldOut = product.inventory_count <= 0 || !product.is_active;
  const { wrapper, input } = quantityInput({ max: product.inventory_count, label: "Quantity" });
  input.disabled = soldOut;
  const button = h(
    "button",
    { type: "submit", class: "button primary", disabled: soldOut },
    soldOut ? "Sold out" : "Add to cart",
  );
  const form = h("form", { class: "add-form add-form-large", novalidate: true }, wrapper, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const quantity = clampQuantity(input.value, product.inventory_count);
    if (quantity === null) {
      showError("Enter a whole number of items.");
      input.focus();
      return;
    }
    input.value = String(quantity);
    await ctx.addToCart(product, quantity, button);
  });

  main.append(
    h(
      "article",
      { class: "product-detail" },
      h("p", { class: "breadcrumbs" }, h("a", { href: "#/" }, "← Back to the catalog")),
      h(
        "div",
        { class: "product-detail-grid" },
        h("div", { class: "product-detail-image" }, productImage(product, "product-image")),
        h(
          "div",
          { class: "product-detail-body" },
          viewHeading(product.name),
          h("p", { class: "price price-large" }, formatMoney(product.price)),
          stockLabel(product),
          h("p", { class: "product-description-full" }, product.description || ""),
          form,
        ),
      ),
    ),
  );
}
