"""``storeops standard``: list, show and steps over the catalog of T/CCPITCSC 111-2022."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from storeops.cli.standard import STEP_COLUMNS, TASK_COLUMNS, app

runner = CliRunner()

TASK_FIELDS = set(TASK_COLUMNS)


def test_list_json_gives_all_127_tasks_with_every_field() -> None:
    result = runner.invoke(app, ["list", "--format", "json"])
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)
    assert len(tasks) == 127
    assert [t["code"] for t in tasks][:3] == ["1.1.1", "1.1.2", "1.1.3"]
    assert tasks[-1]["code"] == "9.3.6"
    for task in tasks:
        assert set(task) == TASK_FIELDS
        assert task["steps"]
        assert all(step.startswith("5.") for step in task["steps"])
    by_code = {t["code"]: t for t in tasks}
    assert by_code["1.1.2"]["duplicate_of"] == "1.1.1"
    assert by_code["3.2.6"]["requirement_zh"] == "合理处理零效果产品,如下架、删除、优化处理等"
    assert by_code["3.2.6"]["steps"] == ["5.7"]


def test_list_stage_and_model_filter() -> None:
    result = runner.invoke(app, ["list", "--stage", "3", "--model", "b2c", "--format", "json"])
    assert result.exit_code == 0, result.output
    codes = [t["code"] for t in json.loads(result.stdout)]
    assert codes == [f"3.1.{n}" for n in range(1, 6)] + [f"3.3.{n}" for n in range(1, 5)]


def test_list_search() -> None:
    result = runner.invoke(app, ["list", "--search", "零效果", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [t["code"] for t in json.loads(result.stdout)] == ["3.2.6"]


def test_list_csv_has_a_header_and_one_line_per_task() -> None:
    result = runner.invoke(app, ["list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 128
    assert lines[0] == ",".join(TASK_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 127
    assert rows[0]["code"] == "1.1.1"
    assert rows[0]["title_zh"] == "调研市场容量"
    row = next(r for r in rows if r["code"] == "9.1.3")
    assert row["steps"] == "5.13 5.17"
    assert row["note"] == ""


def test_list_table_shows_the_tasks() -> None:
    result = runner.invoke(app, ["list", "--stage", "5"])
    assert result.exit_code == 0, result.output
    assert "5.3.10" in result.stdout
    assert "28 of 127 tasks" in result.stdout


def test_list_refuses_an_unknown_model() -> None:
    result = runner.invoke(app, ["list", "--model", "b2x"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_show_prints_the_requirement_text_and_steps() -> None:
    result = runner.invoke(app, ["show", "3.2.6"])
    assert result.exit_code == 0, result.output
    assert "合理处理零效果产品,如下架、删除、优化处理等" in result.stdout
    assert "零效果产品管理" in result.stdout
    assert "5.7 产品呈现" in result.stdout
    assert "monthly" in result.stdout


def test_show_prints_a_long_requirement_whole() -> None:
    result = runner.invoke(app, ["show", "5.3.3"])
    assert result.exit_code == 0, result.output
    assert (
        "根据要求制定线下直播间的搭建方案和线上直播间的创建方案,对选定市场和产品制定直播推广方案"
        in result.stdout
    )


def test_show_json() -> None:
    result = runner.invoke(app, ["show", "9.1.3", "--format", "json"])
    assert result.exit_code == 0, result.output
    task = json.loads(result.stdout)
    assert task["code"] == "9.1.3"
    assert task["stage_name_zh"] == "履约服务与结汇退税"
    assert task["work_item_name_zh"] == "物流配送"
    assert [s["code"] for s in task["workflow_steps"]] == ["5.13", "5.17"]
    assert task["workflow_steps"][0]["title_zh"] == "物流甄选"


def test_show_unknown_code_is_one_line_on_stderr_and_exit_3() -> None:
    result = runner.invoke(app, ["show", "9.9.9"])
    assert result.exit_code == 3  # the CLI's exit code for "not found" (storeops.cli.common)
    assert result.stdout == ""
    assert result.stderr.startswith("error: no task '9.9.9'")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_steps_json_and_csv() -> None:
    result = runner.invoke(app, ["steps", "--format", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)
    assert [s["code"] for s in steps] == [f"5.{n}" for n in range(1, 19)]
    assert all(s["tasks"] for s in steps)
    assert steps[1]["tasks"] == ["1.2.1"]
    assert set(steps[0]) == set(STEP_COLUMNS)
    result = runner.invoke(app, ["steps", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 19


def test_steps_table() -> None:
    result = runner.invoke(app, ["steps"])
    assert result.exit_code == 0, result.output
    assert "物流甄选" in result.stdout
    assert "5.18" in result.stdout
