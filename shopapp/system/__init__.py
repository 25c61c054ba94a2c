"""The shop's own endpoints: /api/v1/system/info (name, version) and /healthz (database, schema)."""
