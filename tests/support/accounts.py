"""The test accounts: the seeded admin's credentials (one copy for every test)."""

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin123"
