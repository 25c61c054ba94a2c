// The one place that talks HTTP: a fetch wrapper for the v1 API and the session token.
// Every call the storefront makes is listed in `api` below and documented in the v1 contract.

const TOKEN_KEY = "shop.token";

function configuredBase() {
  const override = typeof window.API_BASE_URL === "string" ? window.API_BASE_URL.trim() : "";
  return (override || "/api/v1").replace(/\/+$/, "");
}

export const API_BASE = configuredBase();

export class ApiError extends Error {
  constructor(status, detail, body = null) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

export function getToken() {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  window.localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be unavailable (private mode); there is nothing to clear then.
  }
}

const unauthorizedListeners = new Set();

/** Call `listener(error, hadToken)` whenever the API answers 401 (the token is already gone). */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function fallbackDetail(status) {
  if (status >= 500) return "The shop had a problem handling that. Please try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

export async function request(method, path, { body, auth = true, notify401 = true } = {}) {
  const headers = { Accept: "application/json" };
  const token = auth ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(API_BASE + path, init);
  } catch {
    throw new ApiError(0, "Could not reach the shop. Check your connection and try again.");
  }

  const text = response.status === 204 ? "" : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    const detail =
      data && typeof data.detail === "string" && data.detail ? data.detail : fallbackDetail(response.status);
    const error = new ApiError(response.status, detail, data);
    if (response.status === 401) {
      // Any 401 means the token (if any) is no good: forget it and let the app show the login form.
      const hadToken = Boolean(getToken());
      clearToken();
      if (notify401) {
        // The app reacts to this one centrally (login form + message); views can skip it.
        error.handled = unauthorizedListeners.size > 0;
        for (const listener of unauthorizedListeners) listener(error, hadToken || Boolean(token));
      }
    }
    throw error;
  }
  return data;
}

const json = (method, path, body, options) => request(method, path, { ...options, body });

export const api = {
  register: (fields) => json("POST", "/auth/register", fields, { auth: false }),
  login: (email, password) => json("POST", "/auth/login", { email, password }, { auth: false }),
  /** `expect401` when the caller handles a lost session itself (e.g. right after a store reset). */
  /** Revoke the current token on the server; best effort, the client forgets it anyway. */
  logout: () => request("POST", "/auth/logout", { notify401: false }).catch(() => null),
  me: ({ expect401 = false } = {}) => request("GET", "/users/me", { notify401: !expect401 }),

  products: () => request("GET", "/products", { auth: false }),
  product: (id) => request("GET", `/products/${encodeURIComponent(id)}`),
  createProduct: (fields) => json("POST", "/products", fields),
  updateProduct: (id, fields) => json("PUT", `/products/${encodeURIComponent(id)}`, fields),
  deleteProduct: (id) => request("DELETE", `/products/${encodeURIComponent(id)}`),

  cart: () => request("GET", "/cart"),
  addToCart: (productId, quantity) =>
    json("POST", "/cart/items", { product_id: productId, quantity }),
  updateCartItem: (itemId, quantity) =>
    json("PUT", `/cart/items/${encodeURIComponent(itemId)}`, { quantity }),
  removeCartItem: (itemId) => request("DELETE", `/cart/items/${encodeURIComponent(itemId)}`),

  placeOrder: (shippingAddress) =>
    json("POST", "/orders", shippingAddress ? { shipping_address: shippingAddress } : {}),
  orders: () => request("GET", "/orders"),

  resetStore: () => request("POST", "/admin/reset"),
  users: () => request("GET", "/admin/users"),
  setAdmin: (userId, isAdmin) =>
    json("PATCH", `/admin/users/${encodeURIComponent(userId)}`, { is_admin: isAdmin }),

  systemInfo: () => request("GET", "/system/info", { auth: false }),
};
