// Reset: empty the store and reseed the demo catalog, after a confirmation step.

import { api } from "../../api.js";
import { h } from "../../dom.js";
import { confirmStep, showStatus } from "../../ui.js";
import { sectionHeading } from "./shared.js";

export function resetSection(afterReset) {
  const step = confirmStep({
    startLabel: "Reset store…",
    startClass: "button danger-solid",
    question: [
      h("strong", {}, "Reset the whole store?"),
      " Every user, cart and order is deleted, and the catalog and admin account go back to the demo seed. This cannot be undone.",
    ],
    confirmLabel: "Yes, reset the store",
    busyLabel: "Resetting…",
    onConfirm: async () => {
      const result = await api.resetStore();
      const detail = result?.detail || "The store was reset.";
      showStatus(detail);
      await afterReset(detail);
    },
  });
  return h(
    "section",
    { class: "admin-section danger-zone", "aria-labelledby": "admin-reset-title" },
    sectionHeading("Reset store", "admin-reset-title"),
    h("p", {}, "Empties every table and reseeds the demo catalog and admin account."),
    step,
  );
}

export async function render(ctx) {
  return resetSection(ctx.afterReset);
}
