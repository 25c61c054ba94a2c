// Optional deployment settings, loaded before the storefront starts.
// To use an API served from another address, set its v1 base here, e.g.:
//   window.API_BASE_URL = "https://shop.example.com/api/v1";
// Left unset, the storefront calls /api/v1 on the server that served this page.
