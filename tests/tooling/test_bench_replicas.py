"""scripts/bench.py --replicas: its figures come from the yardstick's JSON as load.py
writes it, and it refuses to run without a PostgreSQL database to share."""

import pytest

import bench


def yardstick_flow_cpu(ms):
    return {"results": {"d_cpu_cost": {"add_order_flow_median_cpu_ms_per_flow": ms}}}


def yardstick_write_flow(orders_per_s, p99_ms):
    return {"results": {"c_write_flow": {
        "c1": {"orders_per_s": orders_per_s / 4, "flow": {"p99_ms": p99_ms / 4}, "errors": 0},
        "c8": {"orders_per_s": orders_per_s, "flow": {"p99_ms": p99_ms}, "errors": 1},
    }}}


def test_replica_figures_compare_postgresql_with_sqlite_and_count_processes():
    run = {"flow_cpu_sqlite": yardstick_flow_cpu(4.0),
           "flow_cpu_postgresql": yardstick_flow_cpu(5.0),
           "replicas": {1: yardstick_write_flow(40.0, 400.0), 2: yardstick_write_flow(60.0, 300.0)}}
    figures = bench.replica_figures(run)
    assert figures["ratio_flow_postgresql_vs_sqlite"] == 1.25
    assert (figures["orders_per_s_c8_x1"], figures["orders_per_s_c8_x2"]) == (40.0, 60.0)
    assert (figures["flow_p99_c8_x1"], figures["flow_p99_c1_x2"]) == (400.0, 75.0)
    assert figures["errors_c8_x2"] == 1


def test_replica_figures_without_a_flow_figure_have_no_ratio():
    figures = bench.replica_figures({"flow_cpu_sqlite": {}, "replicas": {}})
    assert figures["ratio_flow_postgresql_vs_sqlite"] is None


def test_replicas_need_a_postgresql_database(capsys):
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--replicas", "2"])
    assert stopped.value.code == 2
    assert "--database-url" in capsys.readouterr().err
