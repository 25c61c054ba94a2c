// Money arrives as decimal strings ("250.00"). It is kept as an integer number of cents in a
// BigInt, so adding and multiplying never goes through floating point.

const DECIMAL = /^\s*(-)?(\d*)(?:\.(\d*))?\s*$/;

/** "12.5" -> 1250n. (The API sends two places; a third, if ever present, rounds half up.) */
export function toCents(value) {
  const text = String(value ?? "");
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new RangeError(`Not a money amount: ${JSON.stringify(text)}`);
  }
  const [, minus, whole, fraction = ""] = match;
  let cents = BigInt(whole || "0") * 100n + BigInt((fraction + "00").slice(0, 2));
  if (fraction.length > 2 && Number(fraction[2]) >= 5) cents += 1n;
  return minus ? -cents : cents;
}

/** 1250n -> "12.50" (the API's own notation). */
export function centsToDecimal(cents) {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** 123456n -> "$1,234.56" */
export function formatCents(cents) {
  const [whole, fraction] = centsToDecimal(cents < 0n ? -cents : cents).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${cents < 0n ? "-" : ""}$${grouped}.${fraction}`;
}

/** "1234.5" -> "$1,234.50"; anything unparseable is shown as it came. */
export function formatMoney(value) {
  try {
    return formatCents(toCents(value));
  } catch {
    return String(value ?? "");
  }
}

/** unit price string x integer quantity, in cents. */
export function lineCents(unitPrice, quantity) {
  return toCents(unitPrice) * BigInt(quantity);
}
