// The catalog: a searchable, sortable grid of active products.

import { api } from "../api.js";
import { h, uniqueId } from "../dom.js";
import { toCents, formatMoney } from "../money.js";
import {
  clampQuantity,
  emptyState,
  loading,
  productImage,
  quantityInput,
  showError,
  stockLabel,
  viewHeading,
} from "../ui.js";

// Kept between visits so coming back from a product page restores the shopper's view.
const state = { query: "", sort: "featured" };

const SORTS = {
  featured: { label: "Featured", compare: null },
  "name-asc": { label: "Name (A–Z)", compare: (a, b) => byName(a, b) },
  "name-desc": { label: "Name (Z–A)", compare: (a, b) => byName(b, a) },
  "price-asc": { label: "Price (low to high)", compare: (a, b) => byPrice(a, b) || byName(a, b) },
  "price-desc": { label: "Price (high to low)", compare: (a, b) => byPrice(b, a) || byName(a, b) },
};

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function byName(a, b) {
  return collator.compare(a.name, b.name);
}

function byPrice(a, b) {
  const difference = toCents(a.price) - toCents(b.price);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

function matches(product, words) {
  const haystack = `${product.name} ${product.description || ""}`.toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function visibleProducts(products, query, sort) {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const found = products.filter((product) => matches(product, words));
  const compare = SORTS[sort]?.compare;
  return compare ? [...found].sort(compare) : found;
}

export function productCard(product, ctx) {
  const link = `#/product/${product.id}`;
  const titleId = uniqueId("product-title");
  const soldOut = product.inventory_count <= 0;
  const { wrapper, input } = quantityInput({ max: product.inventory_count, label: "Qty" });
  input.setAttribute("aria-label", `Quantity of ${product.name}`);
  input.disabled = soldOut;
  const button = h(
    "button",
    { type: "submit", class: "button primary", disabled: soldOut },
    soldOut ? "Sold out" : "Add to cart",
  );
  const form = h("form", { class: "add-form", novalidate: true, "aria-label": `Add ${product.name} to cart` }, wrapper, button);
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

  return h(
    "li",
    { class: "product-card", "aria-labelledby": titleId, dataset: { productId: String(product.id) } },
    h("a", { href: link, class: "product-image-link", tabindex: "-1", "aria-hidden": "true" }, productImage(product, "product-image", true)),
    h(
      "div",
      { class: "product-body" },
      h("h2", { class: "product-name", id: titleId }, h("a", { href: link }, product.name)),
      h("p", { class: "product-description" }, product.description || ""),
      h(
        "div",
        { class: "product-meta" },
        h("span", { class: "price" }, formatMoney(product.price)),
        stockLabel(product),
      ),
      form,
    ),
  );
}

export async function render(main, params, ctx) {
  const search = h("input", {
    type: "search",
    id: "catalog-search",
    name: "q",
    value: state.query,
    placeholder: "Helmet, visor, HANS…",
    autocomplete: "off",
  });
  const sort = h(
    "select",
    { id: "catalog-sort", name: "sort" },
    Object.entries(SORTS).map(([value, { label }]) =>
      h("option", { value, selected: value === state.sort }, label),
    ),
  );
  const summary = h("p", { class: "result-count", role: "status", "aria-live": "polite" });
  const grid = h("ul", { class: "product-grid", role: "list", "aria-label": "Products" });
  const tools = h(
    "form",
    { class: "catalog-tools", role: "search", "aria-label": "Search and sort products" },
    h("div", { class: "field" }, h("label", { for: search.id }, "Search"), search),
    h("div", { class: "field" }, h("label", { for: sort.id }, "Sort by"), sort),
  );
  tools.addEventListener("submit", (event) => event.preventDefault());

  main.append(
    h(
      "section",
      { class: "catalog-view" },
      h("div", { class: "view-header" }, viewHeading("Helmets & racing gear"), h("p", { class: "lede" }, "Certified protection for track, rally and karting.")),
      tools,
      summary,
      grid,
    ),
  );
  // Search and sort work from the first keystroke, even before the products arrive.
  let products = null;
  const draw = () => {
    if (!products) return;
    const shown = visibleProducts(products, state.query, state.sort);
    grid.replaceChildren(...shown.map((product) => productCard(product, ctx)));
    if (!products.length) {
      summary.textContent = "The catalog is empty right now.";
    } else if (!shown.length) {
      summary.textContent = `No products match “${state.query.trim()}”.`;
    } else {
      const noun = shown.length === 1 ? "product" : "products";
      summary.textContent = state.query.trim()
        ? `${shown.length} ${noun} match “${state.query.trim()}”.`
        : `${shown.length} ${noun}`;
    }
  };
  search.addEventListener("input", () => {
    state.query = search.value;
    draw();
  });
  sort.addEventListener("change", () => {
    state.sort = sort.value;
    draw();
  });

  const placeholder = loading("Loading the catalog…");
  grid.before(placeholder);
  try {
    products = await api.products();
  } catch (error) {
    placeholder.remove();
    if (ctx.isCurrent(ctx.token)) {
      showError(error);
      grid.replaceWith(emptyState("The catalog could not be loaded."));
    }
    return;
  }
  placeholder.remove();
  if (!ctx.isCurrent(ctx.token)) return;
  state.query = search.value;
  state.sort = sort.value;
  draw();
}
