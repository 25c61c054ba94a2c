"""scripts/bench_backoffice.py runs end to end on a small SQLite shop, so it cannot rot
(its timings are never asserted; the figures live in docs/PERFORMANCE.md)."""

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_backoffice.py"


def test_the_back_office_benchmark_reports_its_figures():
    result = subprocess.run([sys.executable, str(SCRIPT), "--sizes", "40", "--repeats", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== SQLite: 40 orders" in out
    assert re.search(r"GET /admin/stats\?days=30: median [\d.]+ ms .*, 7 statements", out), out
    lines = int(re.search(r"== SQLite: 40 orders, (\d+) lines", out).group(1))
    assert f"GET /admin/orders/export.csv: {lines} lines" in out
    assert "USING COVERING INDEX ix_orders_created_status_total" in out
