// Dashboard: how the shop is doing over the last 30 days (GET /admin/stats): revenue per day
// as a chart (with the same figures as a table), totals, orders waiting to ship, top sellers
// and low-stock products with a link to restock each.

import { api } from "../../api.js";
import { h } from "../../dom.js";
import { formatMoney } from "../../money.js";
import { emptyState } from "../../ui.js";
import { adminTable, emptyRow, sectionHeading } from "./shared.js";

const DAYS = 30;
const CHART_SCRIPT = "vendor/chartjs/chart.umd.js";

// Chart.js is loaded on the first visit to the dashboard only, and kept for the next ones.
let chartLibrary = null;
let activeChart = null;

function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLibrary) {
    chartLibrary = new Promise((resolve, reject) => {
      const script = h("script", { src: CHART_SCRIPT });
      script.addEventListener("load", () => resolve(window.Chart));
      script.addEventListener("error", () => {
        chartLibrary = null;
        script.remove();
        reject(new Error("The chart library could not be loaded."));
      });
      document.head.append(script);
    });
  }
  return chartLibrary;
}

function dayLabel(isoDate) {
  // The API's days are UTC dates; show them as such, whatever the browser's time zone.
  const date = new Date(`${isoDate}T00:00:00Z`);
  return date.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
}

function tile(label, value, extra) {
  return h(
    "div",
    { class: "stat-tile card" },
    h("dt", {}, label),
    h("dd", {}, h("span", { class: "stat-value" }, value), extra || null),
  );
}

function revenueTable(daily) {
  return h(
    "details",
    { class: "chart-table" },
    h("summary", {}, "Revenue per day as a table"),
    h(
      "table",
      { class: "admin-table", id: "revenue-table" },
      h("caption", { class: "visually-hidden" }, `Revenue and orders per day, last ${daily.length} days (UTC)`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), h("th", { scope: "col", class: "num" }, "Orders"), h("th", { scope: "col", class: "num" }, "Revenue"))),
      h(
        "tbody",
        {},
        daily.map((day) =>
          h(
            "tr",
            { dataset: { date: day.date } },
            h("th", { scope: "row", "data-label": "Day" }, h("time", { datetime: day.date }, dayLabel(day.date))),
            h("td", { class: "num", "data-label": "Orders" }, String(day.orders)),
            h("td", { class: "num", "data-label": "Revenue" }, formatMoney(day.revenue)),
          ),
        ),
      ),
    ),
  );
}

async function drawChart(canvas, daily, onFailure) {
  try {
    const Chart = await loadChartJs();
    if (!canvas.isConnected) return;
    if (activeChart) activeChart.destroy();
    activeChart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: daily.map((day) => dayLabel(day.date)),
        datasets: [{ label: "Revenue", data: daily.map((day) => Number(day.revenue)), backgroundColor: "#d7261e" }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => formatMoney(daily[item.dataIndex].revenue) } },
        },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => `$${value}` } } },
      },
    });
  } catch (error) {
    onFailure(error);
  }
}

function productTable(id, title, rows, figure) {
  return h(
    "div",
    { class: "dashboard-panel" },
    h("h3", { id }, title),
    adminTable(
      id,
      ["Product", ["Units", "num"], ["Revenue", "num"]],
      h(
        "tbody",
        {},
        rows.length
          ? rows.map((row) =>
              h(
                "tr",
                { dataset: { productId: String(row.product_id) } },
                h("th", { scope: "row", "data-label": "Product" }, row.name),
                h("td", { class: `num${figure === "units" ? " strong" : ""}`, "data-label": "Units" }, String(row.units)),
                h("td", { class: `num${figure === "revenue" ? " strong" : ""}`, "data-label": "Revenue" }, formatMoney(row.revenue)),
              ),
            )
          : emptyRow(3, "No sales in this period."),
      ),
    ),
  );
}

function lowStockList(stats) {
  return h(
    "div",
    { class: "dashboard-panel" },
    h("h3", { id: "low-stock-title" }, `Low stock (${stats.low_stock_threshold} or fewer)`),
    stats.low_stock.length
      ? h(
          "ul",
          { class: "low-stock-list", "aria-labelledby": "low-stock-title" },
          stats.low_stock.map((product) =>
            h(
              "li",
              { dataset: { productId: String(product.id) } },
              h("span", { class: "low-stock-name" }, product.name),
              h("span", { class: "stock stock-low" }, product.stock === 0 ? "Sold out" : `${product.stock} left`),
              h("a", { href: `#/admin/products/${product.id}?restock`, class: "button small", "aria-label": `Restock ${product.name}` }, "Restock"),
            ),
          ),
        )
      : emptyState("Every active product is well stocked."),
  );
}

export async function render() {
  const stats = await api.stats(DAYS);
  const canvas = h("canvas", {
    id: "revenue-chart",
    role: "img",
    "aria-label": `Revenue per day from ${stats.start} to ${stats.end}: ${formatMoney(stats.totals.revenue)} in all. The same figures are in the table below.`,
  });
  const chartBox = h("div", { class: "chart-box" }, canvas);
  const section = h(
    "section",
    { class: "admin-section dashboard", "aria-labelledby": "admin-dashboard-title" },
    sectionHeading(`The last ${stats.days} days`, "admin-dashboard-title"),
    h(
      "dl",
      { class: "stat-tiles" },
      tile("Revenue", h("span", { id: "stat-revenue" }, formatMoney(stats.totals.revenue))),
      tile("Orders", h("span", { id: "stat-orders" }, String(stats.totals.orders))),
      tile("Average order", h("span", { id: "stat-aov" }, formatMoney(stats.totals.average_order_value))),
      tile(
        "Waiting to ship",
        h("span", { id: "stat-awaiting" }, String(stats.awaiting_shipment)),
        h(
          "span",
          { class: "stat-links" },
          h("a", { href: "#/admin/orders?status=pending" }, "Pending"),
          " · ",
          h("a", { href: "#/admin/orders?status=paid" }, "Paid"),
        ),
      ),
    ),
    h("h3", { id: "revenue-title" }, "Revenue per day (UTC)"),
    chartBox,
    revenueTable(stats.daily),
    h(
      "div",
      { class: "dashboard-grid" },
      productTable("top-units-title", "Top sellers by units", stats.top_products_by_units, "units"),
      productTable("top-revenue-title", "Top sellers by revenue", stats.top_products_by_revenue, "revenue"),
      lowStockList(stats),
    ),
  );
  // Drawn once the console has put the section on the page (Chart.js measures its box).
  setTimeout(() =>
    drawChart(canvas, stats.daily, () => chartBox.replaceChildren(h("p", { class: "muted" }, "The chart could not be drawn; the table below has the figures."))),
  );
  return section;
}
