// Pieces every admin section uses: headings, tables, the section's own address.

import { h } from "../../dom.js";

export function sectionHeading(text, id) {
  return h("h2", { id }, text);
}

/** A labelled admin table; `columns` are header labels, or [label, className] pairs. */
export function adminTable(labelledBy, columns, tbody) {
  const headers = columns.map((column) => {
    const [label, className] = Array.isArray(column) ? column : [column, null];
    return h("th", { scope: "col", class: className }, label);
  });
  return h(
    "div",
    { class: "table-scroll" },
    h("table", { class: "admin-table", "aria-labelledby": labelledBy }, h("thead", {}, h("tr", {}, headers)), tbody),
  );
}

/** One table row that says the table is empty. */
export function emptyRow(columnCount, text) {
  return h("tr", { class: "empty-row" }, h("td", { colspan: String(columnCount) }, text));
}

/** Turn a form's whole-number text into a number when it is one; otherwise let the API say why not. */
export function wholeNumber(text) {
  const trimmed = String(text).trim();
  return /^-?\d+$/.test(trimmed) ? Number.parseInt(trimmed, 10) : trimmed;
}

/** The query part of the current address (#/admin/orders?status=paid -> URLSearchParams). */
export function hashQuery() {
  const hash = window.location.hash;
  const at = hash.indexOf("?");
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : "");
}

/**
 * Record a section's filters in the address without re-rendering (replaceState fires no
 * hashchange), so reloading or coming back from an order opens the same view.
 */
export function rememberQuery(path, params) {
  const entries = [...params].filter(([, value]) => value !== "" && value !== null && value !== undefined);
  const query = new URLSearchParams(entries).toString();
  window.history.replaceState(null, "", `#${path}${query ? `?${query}` : ""}`);
}
