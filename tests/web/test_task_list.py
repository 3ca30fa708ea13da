"""The task list's filters (as the URL carries them) and its CSV export."""

from __future__ import annotations

import csv
import io

from storeops.standard.catalog import load_catalog
from storeops.web.labels import translator
from storeops.web.pages.standard import TaskFilter, csv_cell, tasks_csv


def test_filters_from_the_url_ignore_values_that_do_not_exist() -> None:
    catalog = load_catalog()
    wanted = TaskFilter.from_query(catalog, stage="3", model="b2c", step="5.7", text=" 优化 ")
    assert wanted == TaskFilter(stage=3, model="b2c", step="5.7", text="优化")
    junk = TaskFilter.from_query(catalog, stage="12", model="b2x", step="5.19", text=None)
    assert junk == TaskFilter()
    assert (
        TaskFilter.from_query(catalog, stage="-1", model=None, step=None, text="") == TaskFilter()
    )


def test_filters_combine_and_round_trip_through_the_query_string() -> None:
    catalog = load_catalog()
    assert len(TaskFilter().apply(catalog)) == 127
    assert TaskFilter().query() == ""
    stage_3 = TaskFilter(stage=3)
    assert [t.code for t in stage_3.apply(catalog)][-5:] == [
        "3.2.7",
        "3.3.1",
        "3.3.2",
        "3.3.3",
        "3.3.4",
    ]
    assert "9.3.6" not in {t.code for t in stage_3.apply(catalog)}
    b2c_listing = TaskFilter(stage=3, model="b2c", step="5.7")
    codes = [t.code for t in b2c_listing.apply(catalog)]
    assert codes and all(c.startswith(("3.1.", "3.3.")) for c in codes)
    assert b2c_listing.query() == "?stage=3&model=b2c&step=5.7"
    assert TaskFilter(text="零效果").query() == "?q=%E9%9B%B6%E6%95%88%E6%9E%9C"
    assert [t.code for t in TaskFilter(text="零效果").apply(catalog)] == ["3.2.6"]


def test_csv_export_is_excel_friendly_and_never_a_formula() -> None:
    catalog = load_catalog()
    tasks = TaskFilter(stage=3).apply(catalog)
    data = tasks_csv(tasks, catalog, "zh_CN", translator("zh_CN"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "环节", "工作任务"]
    assert len(rows) == 1 + len(tasks)
    assert rows[1 + [t.code for t in tasks].index("3.2.6")][0] == "3.2.6"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_cells_that_look_like_formulas_are_quoted() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+86", "-x", "@SUM(A1)", "3.2.6")] == [
        "'=1+1", "'+86", "'-x", "'@SUM(A1)", "3.2.6",
    ]  # fmt: skip
