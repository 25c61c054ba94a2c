// The one place that talks HTTP: a fetch wrapper for the v1 API and the session token.
// Every call the storefront makes is listed in `api` below and documented in the v1 contract.

const TOKEN_KEY = "shop.token";
const REFRESH_KEY = "shop.refresh";

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

function readStored(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function getToken() {
  return readStored(TOKEN_KEY);
}

export function getRefreshToken() {
  return readStored(REFRESH_KEY);
}

export function setToken(token) {
  window.localStorage.setItem(TOKEN_KEY, token);
}

/** Keep the tokens of a login answer: the access token, and the refresh token when present. */
export function setTokens({ access_token: access, refresh_token: refresh }) {
  setToken(access);
  if (refresh) window.localStorage.setItem(REFRESH_KEY, refresh);
  else window.localStorage.removeItem(REFRESH_KEY);
}

export function clearToken() {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
    window.localStorage.removeItem(REFRESH_KEY);
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

async function send(method, path, token, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(API_BASE + path, init);
  } catch {
    throw new ApiError(0, "Could not reach the shop. Check your connection and try again.");
  }
}

// Requests that fail together (a view loading several lists) share one refresh.
let pendingRefresh = null;

/** Trade the refresh token for a new access token; false when there is none or it is refused. */
function refreshAccessToken() {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return Promise.resolve(false);
  if (!pendingRefresh) {
    pendingRefresh = (async () => {
      try {
        const response = await send("POST", "/auth/refresh", refreshToken);
        const data = response.ok ? await response.json() : null;
        if (!data || typeof data.access_token !== "string") return false;
        setToken(data.access_token);
        return true;
      } catch {
        return false;
      } finally {
        pendingRefresh = null;
      }
    })();
  }
  return pendingRefresh;
}

/**
 * fetch() with the session: an access token that has expired (any 401) is renewed once with
 * the refresh token and the request sent again; only when that fails does the 401 stand.
 */
async function sendAuthorized(method, path, { body, auth = true }) {
  const token = auth ? getToken() : null;
  const response = await send(method, path, token, body);
  if (response.status !== 401 || !token) return { response, token };
  // Another request may have renewed the token while this one was on its way.
  const renewed = getToken() !== token || (await refreshAccessToken());
  if (!renewed) return { response, token };
  return { response: await send(method, path, getToken(), body), token };
}

async function failure(response, token, notify401) {
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  const detail =
    data && typeof data.detail === "string" && data.detail ? data.detail : fallbackDetail(response.status);
  const error = new ApiError(response.status, detail, data);
  if (response.status === 401) {
    // A 401 after the refresh means the session is over: forget it and let the app show the login form.
    const hadToken = Boolean(getToken());
    clearToken();
    if (notify401) {
      // The app reacts to this one centrally (login form + message); views can skip it.
      error.handled = unauthorizedListeners.size > 0;
      for (const listener of unauthorizedListeners) listener(error, hadToken || Boolean(token));
    }
  }
  return error;
}

function parsePaging(response) {
  try {
    return JSON.parse(response.headers.get("X-Pagination") || "null");
  } catch {
    return null;
  }
}

/**
 * Call the API and return the parsed JSON body. `paged: true` returns {items, paging} with the
 * X-Pagination header ({total, total_pages, page, page_size}) instead.
 */
export async function request(method, path, { body, auth = true, notify401 = true, paged = false } = {}) {
  const { response, token } = await sendAuthorized(method, path, { body, auth });
  if (!response.ok) throw await failure(response, token, notify401);
  const text = response.status === 204 ? "" : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  return paged ? { items: data || [], paging: parsePaging(response) } : data;
}

/** Fetch a file the API sends as an attachment: {blob, filename}. */
export async function download(path) {
  const { response, token } = await sendAuthorized("GET", path, {});
  if (!response.ok) throw await failure(response, token, true);
  const disposition = response.headers.get("Content-Disposition") || "";
  const named = /filename="?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: named ? named[1] : "download" };
}

/** "?a=1&b=x" from an object, leaving out empty values; "" when nothing is left. */
export function queryString(params) {
  const entries = Object.entries(params).filter(([, value]) => value !== "" && value !== null && value !== undefined);
  const query = new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString();
  return query ? `?${query}` : "";
}

const json = (method, path, body, options) => request(method, path, { ...options, body });

export const api = {
  register: (fields) => json("POST", "/auth/register", fields, { auth: false }),
  login: (email, password) => json("POST", "/auth/login", { email, password }, { auth: false }),
  /** Revoke the current tokens on the server; best effort, the client forgets them anyway. */
  logout: () => {
    const refreshToken = getRefreshToken();
    return json("POST", "/auth/logout", refreshToken ? { refresh_token: refreshToken } : undefined, {
      notify401: false,
    }).catch(() => null);
  },
  /** `expect401` when the caller handles a lost session itself (e.g. right after a store reset). */
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
  order: (id) => request("GET", `/orders/${encodeURIComponent(id)}`),
  cancelOrder: (id) => request("POST", `/orders/${encodeURIComponent(id)}/cancel`),

  resetStore: () => request("POST", "/admin/reset"),
  users: () => request("GET", "/admin/users"),
  setAdmin: (userId, isAdmin) =>
    json("PATCH", `/admin/users/${encodeURIComponent(userId)}`, { is_admin: isAdmin }),
  adminProducts: (filters = {}) => request("GET", `/admin/products${queryString(filters)}`, { paged: true }),
  adminOrders: (filters = {}) => request("GET", `/admin/orders${queryString(filters)}`, { paged: true }),
  adminOrder: (id) => request("GET", `/admin/orders/${encodeURIComponent(id)}`),
  setOrderStatus: (id, status) => json("PATCH", `/admin/orders/${encodeURIComponent(id)}`, { status }),
  exportOrders: (range = {}) => download(`/admin/orders/export.csv${queryString(range)}`),
  stats: (days = 30) => request("GET", `/admin/stats${queryString({ days })}`),
  stockLedger: (productId, paging = {}) =>
    request("GET", `/admin/products/${encodeURIComponent(productId)}/stock${queryString(paging)}`, { paged: true }),
  adjustStock: (productId, delta, reason) =>
    json("POST", `/admin/products/${encodeURIComponent(productId)}/stock`, { delta, reason }),

  systemInfo: () => request("GET", "/system/info", { auth: false }),
};
