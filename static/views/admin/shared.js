// Pieces every admin section uses: headings, tables, the section's own address.

import { field, h } from "../../dom.js";
import { showError } from "../../ui.js";

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

function counted(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "Page 2 of 5 (93 orders)" with Previous/Next buttons; `goTo(page)` loads another page. */
export function pager(paging, noun, goTo) {
  if (!paging || paging.total_pages <= 1) {
    return h("p", { class: "pager muted", role: "status" }, paging ? counted(paging.total, noun) : "");
  }
  const previous = h("button", { type: "button", class: "button small", disabled: paging.page <= 1 }, "Previous page");
  const next = h("button", { type: "button", class: "button small", disabled: paging.page >= paging.total_pages }, "Next page");
  previous.addEventListener("click", () => goTo(paging.page - 1));
  next.addEventListener("click", () => goTo(paging.page + 1));
  return h(
    "div",
    { class: "pager" },
    previous,
    h("span", { role: "status" }, `Page ${paging.page} of ${paging.total_pages} (${counted(paging.total, noun)})`),
    next,
  );
}

/** A list's filters as the address has them: {status, q, page}. */
export function listState() {
  const query = hashQuery();
  return { status: query.get("status") || "", q: query.get("q") || "", page: Number(query.get("page")) || 1 };
}

/**
 * The search form above a list: a status select ([value, label] options) and a search box.
 * `onChange({status, q, page: 1})` runs on submit and whenever the status changes.
 */
export function filterForm({ name, state, statusLabel, statusOptions, searchLabel, placeholder, onChange }) {
  const status = h(
    "select",
    { id: `${name}-status`, name: "status" },
    statusOptions.map(([value, label]) => h("option", { value, selected: value === state.status }, label)),
  );
  const search = h("input", { type: "search", id: `${name}-q`, name: "q", value: state.q, placeholder });
  const form = h(
    "form",
    { class: "filter-row", role: "search", "aria-label": `Filter ${name}` },
    field(statusLabel, status),
    field(searchLabel, search),
    h("button", { type: "submit", class: "button" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onChange({ status: status.value, q: search.value.trim(), page: 1 });
  });
  status.addEventListener("change", () => form.requestSubmit());
  return form;
}

/** Record a list's filters in the address (page 1 left out). */
export function rememberListState(path, state) {
  rememberQuery(path, Object.entries({ ...state, page: state.page > 1 ? state.page : "" }));
}

/**
 * A paged, filtered list kept in the address: `fetchPage(state)` answers {items, paging},
 * `drawItems(items)` shows them. `change({...})` updates the filters or page and reloads.
 */
export function pagedList({ path, noun, fetchPage, drawItems, isCurrent }) {
  const state = listState();
  const paging = h("div");
  async function load() {
    const { items, paging: pages } = await fetchPage(state);
    if (!isCurrent()) return;
    rememberListState(path, state);
    drawItems(items);
    paging.replaceChildren(pager(pages, noun, (page) => change({ page })));
  }
  function change(next) {
    Object.assign(state, next);
    load().catch(showError);
  }
  return { state, paging, load, change };
}
