// Pieces shared by several views: the message area, product images, stock labels,
// the quantity picker and the shared session state.

import { h, uniqueId, withBusy } from "./dom.js";

export const PLACEHOLDER_IMAGE = "images/products/placeholder.svg";
export const LOW_STOCK = 5;

/** The signed-in user (from GET /users/me) and the cart count; views read it, app.js owns it. */
export const session = {
  user: null,
  cartCount: 0,
  get isAdmin() {
    return Boolean(this.user && this.user.is_admin === true);
  },
};

// ---- messages -----------------------------------------------------------------------------
// Two live regions that always exist in the page (index.html) and are empty when quiet, so
// assistive tech announces whatever is put into them.

let messageTimer = null;

function messageArea() {
  return {
    error: document.getElementById("message-error"),
    status: document.getElementById("message-status"),
  };
}

/** Show an API error (or any Error) in the alert area: its `detail` verbatim. */
export function showError(errorOrText) {
  // A 401 is already reported by app.js together with the login form; don't overwrite that.
  if (errorOrText && typeof errorOrText === "object" && errorOrText.handled) return;
  const { error, status } = messageArea();
  const text =
    typeof errorOrText === "string"
      ? errorOrText
      : errorOrText?.detail || errorOrText?.message || "Something went wrong.";
  clearTimeout(messageTimer);
  status.replaceChildren();
  error.replaceChildren(h("span", { class: "message-text" }, text), dismissButton());
}

/** Show a success/info message in the polite status area. */
export function showStatus(text) {
  const { error, status } = messageArea();
  error.replaceChildren();
  status.replaceChildren(h("span", { class: "message-text" }, text), dismissButton());
  clearTimeout(messageTimer);
  // Success notes fade after a while; errors stay until dismissed or replaced.
  messageTimer = setTimeout(() => status.replaceChildren(), 10000);
}

export function clearMessages() {
  const { error, status } = messageArea();
  clearTimeout(messageTimer);
  error.replaceChildren();
  status.replaceChildren();
}

function dismissButton() {
  return h(
    "button",
    { type: "button", class: "message-dismiss", "aria-label": "Dismiss message", onClick: clearMessages },
    "×",
  );
}

// ---- products -------------------------------------------------------------------------------

/** Only same-site paths or http(s) URLs are used as image sources; anything else gets the placeholder. */
export function imageSource(imageUrl) {
  if (typeof imageUrl !== "string" || !imageUrl.trim()) return PLACEHOLDER_IMAGE;
  const url = imageUrl.trim();
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  if (/^https?:\/\//i.test(url)) return url;
  if (/^[\w./-]+$/.test(url) && !url.includes("..")) return url;
  return PLACEHOLDER_IMAGE;
}

export function productImage(product, className = "product-image", decorative = false) {
  const image = h("img", {
    class: className,
    src: imageSource(product.image_url),
    alt: decorative ? "" : product.name,
    width: 400,
    height: 300,
    loading: "lazy",
    decoding: "async",
  });
  image.addEventListener(
    "error",
    () => {
      if (!image.src.endsWith(PLACEHOLDER_IMAGE)) image.src = PLACEHOLDER_IMAGE;
    },
    { once: true },
  );
  return image;
}

export function stockLabel(product) {
  const count = product.inventory_count;
  if (!product.is_active) return h("span", { class: "stock stock-out" }, "Not available");
  if (count <= 0) return h("span", { class: "stock stock-out" }, "Sold out");
  if (count <= LOW_STOCK) return h("span", { class: "stock stock-low" }, `Only ${count} left`);
  return h("span", { class: "stock stock-ok" }, `${count} in stock`);
}

/** A labelled number input limited to 1..max. */
export function quantityInput({ max, value = 1, label = "Quantity", id }) {
  const input = h("input", {
    id: id || uniqueId("qty"),
    type: "number",
    inputmode: "numeric",
    min: "1",
    max: String(Math.max(1, max)),
    step: "1",
    value: String(value),
    class: "qty-input",
    required: true,
  });
  // Typing more than the stock snaps back to the stock when the field is left.
  input.addEventListener("change", () => {
    const clamped = clampQuantity(input.value, max);
    if (clamped !== null) input.value = String(clamped);
  });
  const wrapper = h("div", { class: "qty-field" }, h("label", { for: input.id }, label), input);
  return { wrapper, input };
}

/** Clamp what the user typed into 1..max; returns null when it isn't a whole number at all. */
export function clampQuantity(raw, max) {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) return null;
  const number = Number.parseInt(text, 10);
  return Math.min(Math.max(number, 1), Math.max(max, 1));
}

/** Heading that receives focus when a view opens, so keyboard and screen-reader users land on it. */
export function viewHeading(text, level = "h1") {
  return h(level, { class: "view-title", tabindex: "-1" }, text);
}

export function emptyState(text, action) {
  return h("div", { class: "empty-state" }, h("p", {}, text), action || null);
}

export function loading(text = "Loading…") {
  return h("p", { class: "loading", role: "status" }, text);
}

/**
 * A button that asks before acting: clicking it shows `question` with a confirm and a keep
 * button. `onConfirm` runs (with the confirm button busy) only after the confirmation.
 */
export function confirmStep({ startLabel, startClass = "button danger", question, confirmLabel, keepLabel = "Cancel", busyLabel, onConfirm }) {
  const start = h("button", { type: "button", class: startClass }, startLabel);
  const confirm = h("button", { type: "button", class: "button danger-solid" }, confirmLabel);
  const keep = h("button", { type: "button", class: "button" }, keepLabel);
  const questionId = uniqueId("confirm-question");
  const panel = h(
    "div",
    { class: "confirm-panel", role: "group", "aria-labelledby": questionId, hidden: true },
    h("p", { id: questionId }, question),
    h("div", { class: "form-actions" }, confirm, keep),
  );
  const close = () => {
    panel.hidden = true;
    start.hidden = false;
  };
  start.addEventListener("click", () => {
    panel.hidden = false;
    start.hidden = true;
    keep.focus();
  });
  keep.addEventListener("click", () => {
    close();
    start.focus();
  });
  confirm.addEventListener("click", () =>
    withBusy(confirm, busyLabel, async () => {
      try {
        await onConfirm();
        close();
      } catch (error) {
        showError(error);
      }
    }),
  );
  return h("div", { class: "confirm-step" }, start, panel);
}
