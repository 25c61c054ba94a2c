// Small DOM helpers. Text always goes in through textContent, never through HTML strings,
// so product names and API messages can't inject markup (and a strict CSP is happy).

/**
 * h("button", { class: "primary", type: "button", onClick: fn }, "Label")
 * Attributes starting with "on" become event listeners; `false`/`null` attributes are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "class") {
      element.className = value;
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (name in element && typeof value !== "string") {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

let uniqueCounter = 0;
export function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** A label + control pair. `control` is an element; the label points at its id. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uniqueId("field");
  const children = [h("label", { for: control.id }, labelText), control];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    children.push(h("small", { id: hintId, class: "hint" }, hint));
  }
  return h("div", { class: "field" }, children);
}

/**
 * Run `action` with `button` in a busy state: disabled, aria-busy, and a progress label.
 * Returns undefined (without running) if the button is already busy, so clicks can't stack.
 */
export async function withBusy(button, busyLabel, action) {
  if (!button || button.dataset.busy === "true") return undefined;
  const label = button.textContent;
  const wasDisabled = button.disabled;
  button.dataset.busy = "true";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (busyLabel) button.textContent = busyLabel;
  try {
    return await action();
  } finally {
    // Restored even if the view re-rendered meanwhile; a detached button is simply dropped.
    delete button.dataset.busy;
    button.removeAttribute("aria-busy");
    button.disabled = wasDisabled;
    if (busyLabel) button.textContent = label;
  }
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? "");
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
