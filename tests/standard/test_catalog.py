"""The catalog of T/CCPITCSC 111-2022 as shipped in ``storeops/standard/data/tasks.toml``."""

from __future__ import annotations

import copy
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from storeops.errors import DomainError, InvalidInput, NotFound
from storeops.standard.catalog import (
    CADENCES,
    TASKS_PER_WORK_ITEM,
    Catalog,
    StandardDataError,
    code_key,
    expected_task_codes,
    load_catalog,
    validate,
)

B2B_WORK_ITEMS = {"2.1", "3.2", "6.1", "8.1", "8.2", "9.2"}
B2C_WORK_ITEMS = {"2.2", "3.3", "6.2", "8.3"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def raw() -> dict[str, Any]:
    """The packaged data as parsed TOML, fresh for each test to mutate."""
    source = resources.files("storeops.standard").joinpath("data").joinpath("tasks.toml")
    with source.open("rb") as fh:
        return tomllib.load(fh)


def entry(raw: dict[str, Any], code: str) -> dict[str, Any]:
    """The raw [[task]] table of ``code``."""
    found: dict[str, Any] = next(t for t in raw["task"] if t["code"] == code)
    return found


# --- shape ------------------------------------------------------------------------------


def test_expected_codes_derive_from_the_work_item_declaration() -> None:
    codes = expected_task_codes()
    assert len(codes) == 127
    assert len(set(codes)) == 127
    assert codes[0] == "1.1.1"
    assert codes[-1] == "9.3.6"
    assert {"2.2.1", "5.3.10", "6.1.10"} <= set(codes)
    assert "5.3.11" not in codes
    assert len(TASKS_PER_WORK_ITEM) == 26


def test_catalog_has_every_expected_code_exactly_once_in_numeric_order(catalog: Catalog) -> None:
    codes = [t.code for t in catalog.tasks]
    assert len(codes) == 127
    assert codes == list(expected_task_codes())
    assert codes == sorted(codes, key=code_key)
    assert codes[codes.index("5.3.9") + 1] == "5.3.10"
    assert codes[codes.index("5.3.10") + 1] == "5.4.1"
    assert codes[codes.index("6.1.10") + 1] == "6.2.1"


def test_header(catalog: Catalog) -> None:
    assert catalog.version == "2022.1"
    assert catalog.standard == "T/CCPITCSC 111-2022"
    assert catalog.title_zh == "跨境电商平台店铺运营管理规范"
    assert str(catalog.published) == "2022-12-15"


def test_task_counts_per_stage_and_work_item(catalog: Catalog) -> None:
    per_stage = Counter(t.stage for t in catalog.tasks)
    assert per_stage == {1: 11, 2: 6, 3: 16, 4: 10, 5: 28, 6: 15, 7: 9, 8: 14, 9: 18}
    per_work_item = Counter(t.work_item for t in catalog.tasks)
    assert per_work_item["5.3"] == 10
    assert per_work_item["6.1"] == 10
    assert per_work_item["9.3"] == 6
    assert per_work_item["1.1"] == 9
    assert per_work_item["3.2"] == 7
    assert per_work_item["9.1"] == 7
    assert per_work_item["2.2"] == 2


def test_stages_and_work_items(catalog: Catalog) -> None:
    assert [s.number for s in catalog.stages] == list(range(1, 10))
    assert catalog.stage(1).name_zh == "开店准备"
    assert catalog.stage(7).name_zh == "商机获得和客户服务与管理"
    assert catalog.stage(8).name_zh == "交易达成与订单管理"
    assert catalog.stage(9).name_zh == "履约服务与结汇退税"
    assert len(catalog.work_items) == 26
    assert catalog.work_item("3.2").name_zh == "产品上架、管理与优化 B2B"
    assert catalog.work_item("2.1").name_zh == "B2B 店铺注册与管理"
    assert all(w.name_en for w in catalog.work_items)
    assert {w.code for w in catalog.work_items if w.applies_to == "b2b"} == B2B_WORK_ITEMS
    assert {w.code for w in catalog.work_items if w.applies_to == "b2c"} == B2C_WORK_ITEMS


def test_every_task_is_complete(catalog: Catalog) -> None:
    for task in catalog.tasks:
        assert task.stage == int(task.code.split(".")[0])
        assert task.work_item == task.code.rsplit(".", 1)[0]
        assert task.title_zh.strip()
        assert task.title_en.strip()
        assert task.requirement_zh.strip()
        assert task.cadence in CADENCES
        assert task.steps


# --- the text, exactly as printed -----------------------------------------------------------


def test_no_pdf_page_headers_or_stray_headings_in_the_text(catalog: Catalog) -> None:
    texts = [t.requirement_zh for t in catalog.tasks] + [s.text_zh for s in catalog.steps]
    for text in texts:
        assert "T/CCPITCSC" not in text
        assert "\n" not in text
        assert not re.search(r"\d\.[\u4e00-\u9fff]", text), text  # "5.店铺营销推广"
        assert not re.search(r"\d\.\d ", text), text  # "5.3 直播营销推广"
        assert not text.endswith(";")


def test_1_1_2_is_printed_as_a_duplicate_of_1_1_1(catalog: Catalog) -> None:
    first, second = catalog.task("1.1.1"), catalog.task("1.1.2")
    assert second.requirement_zh == first.requirement_zh
    assert (
        second.requirement_zh == "调研市场容量、细分市场;评估市场成熟度;梳理行业商业模式和主要特征"
    )
    assert second.title_zh == first.title_zh == "调研市场容量"
    assert second.duplicate_of == "1.1.1"
    assert second.note is not None
    assert "exactly the same name and text as 1.1.1" in second.note
    assert first.duplicate_of is None


@pytest.mark.parametrize(
    ("code", "title_zh", "requirement_zh"),
    [
        ("3.2.6", "零效果产品管理", "合理处理零效果产品,如下架、删除、优化处理等"),
        ("2.2.1", "店铺入驻", "完成主流跨境电商平台不同类型账户的注册和认证工作"),
        ("7.1.3", "访客邮件营销", "用邮件完成日常访客营销"),
        (
            "7.3.2",
            "服务时间",
            "客户服务时间应不少于 7 天8 小时,可根据业务情况和消费者情况等进行调整",
        ),
        ("9.3.5", "办理退税", "跟进国际结算、结汇,办理退税业务"),
        ("3.2.3", "发布 RTS 产品", "设置物流模板,做好价格预算,发布 RTS 产品并定期上新"),
        ("5.5.4", "SEO 推广诊断", "使用典型 SEO 工具,查询网站的基本信息、流量和排名等"),
    ],
)
def test_exact_text(catalog: Catalog, code: str, title_zh: str, requirement_zh: str) -> None:
    task = catalog.task(code)
    assert task.title_zh == title_zh
    assert task.requirement_zh == requirement_zh


def test_texts_split_across_pdf_pages_are_joined(catalog: Catalog) -> None:
    assert catalog.task("5.3.3").requirement_zh == (
        "根据目标市场规划开播产品和时间,根据市场价格和趋势,制定直播营销策略,"
        "根据要求制定线下直播间的搭建方案和线上直播间的创建方案,对选定市场和产品制定直播推广方案"
    )
    assert "产品搜索曝光量、产品搜索点击、询盘、急速回复率等数据" in (
        catalog.task("6.1.8").requirement_zh
    )
    assert "根据营销目标合理选择 Google 搜索引擎付费广告" in catalog.task("5.5.6").requirement_zh
    assert catalog.task("5.3.10").requirement_zh.endswith("降低获客成本,提升直播效果")
    assert catalog.task("9.3.6").requirement_zh.endswith("并将支付信息作为监管业务的依据")


def test_1_2_1_has_no_full_stop_after_its_name(catalog: Catalog) -> None:
    task = catalog.task("1.2.1")
    assert task.title_zh == "平台选择"
    assert task.requirement_zh.startswith("a.根据国际形势变化、国际货币政策")
    assert task.requirement_zh.endswith("(如Facebook、YouTube、Instagram、TikTok)等。")


# --- workflow steps -----------------------------------------------------------------------


def test_the_18_workflow_steps(catalog: Catalog) -> None:
    assert [s.code for s in catalog.steps] == [f"5.{n}" for n in range(1, 19)]
    assert [s.order for s in catalog.steps] == list(range(1, 19))
    assert catalog.step("5.1").title_zh == "市场调研"
    assert catalog.step("5.18").title_zh == "售后服务"
    assert catalog.step("5.11").text_zh.startswith("根据平台要求,选择跨境电商直播平台")
    assert catalog.step("5.13").text_zh == (
        "根据店铺产品特点、目标顾客需求和物流市场行情,对接货代或物流公司,"
        "选择跨境物流渠道和物流服务名称。"
    )
    assert {s.code for s in catalog.steps if s.applies_to == "b2b"} == {"5.3", "5.16", "5.17"}
    assert not [s for s in catalog.steps if s.applies_to == "b2c"]
    assert catalog.step("5.13").note is not None


def test_every_step_has_tasks_and_every_task_a_known_step(catalog: Catalog) -> None:
    for step in catalog.steps:
        assert catalog.tasks_of_step(step.code), step.code
    known = {s.code for s in catalog.steps}
    for task in catalog.tasks:
        assert set(task.steps) <= known
    assert [s.code for s in catalog.steps_of(catalog.task("9.1.3"))] == ["5.13", "5.17"]
    assert [t.code for t in catalog.tasks_of_step("5.2")] == ["1.2.1"]
    assert [t.code for t in catalog.tasks_of_step("5.11")] == [f"5.3.{n}" for n in range(1, 11)]


# --- business models --------------------------------------------------------------------


def test_b2b_and_b2c_work_items_decide_applies_to(catalog: Catalog) -> None:
    b2b = {t.code for t in catalog.tasks if t.applies_to == "b2b"}
    b2c = {t.code for t in catalog.tasks if t.applies_to == "b2c"}
    assert b2b == {t.code for t in catalog.tasks if t.work_item in B2B_WORK_ITEMS} | {"7.1.2"}
    assert b2c == {t.code for t in catalog.tasks if t.work_item in B2C_WORK_ITEMS}
    assert len(b2b) == 34
    assert len(b2c) == 16
    assert catalog.task("7.1.1").applies_to == "both"
    assert catalog.task("7.1.2").note is not None


def test_filter_by_model_includes_both_and_excludes_the_other_model(catalog: Catalog) -> None:
    b2c = {t.code for t in catalog.filter(model="b2c")}
    assert len(b2c) == 127 - 34
    assert {"3.3.1", "6.2.5", "8.3.4", "1.1.1", "9.3.3"} <= b2c
    assert not b2c & {"3.2.6", "6.1.1", "7.1.2", "8.1.1", "9.2.1"}
    b2b = {t.code for t in catalog.filter(model="b2b")}
    assert len(b2b) == 127 - 16
    assert "3.3.1" not in b2b
    assert "3.2.6" in b2b
    assert "1.1.1" in b2b


def test_filter_by_stage_and_model(catalog: Catalog) -> None:
    codes = [t.code for t in catalog.filter(stage=3, model="b2c")]
    assert codes == [f"3.1.{n}" for n in range(1, 6)] + [f"3.3.{n}" for n in range(1, 5)]
    assert len(catalog.filter(stage=5)) == 28
    assert len(catalog.filter()) == 127


def test_filter_by_text(catalog: Catalog) -> None:
    assert [t.code for t in catalog.filter(text="零效果")] == ["3.2.6"]
    assert [t.code for t in catalog.filter(text="ZERO-effect")] == ["3.2.6"]
    assert [t.code for t in catalog.filter(text="5.3.1")] == ["5.3.1"]
    assert [t.code for t in catalog.filter(text="5.3")] == [f"5.3.{n}" for n in range(1, 11)]
    assert [t.code for t in catalog.filter(text="一达通")] == ["8.2.2"]
    assert [t.code for t in catalog.filter(stage=6, model="b2c", text="竞争")] == ["6.2.3"]
    assert catalog.filter(text="no such task anywhere") == ()


def test_filter_refuses_an_unknown_model_or_stage(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="model must be b2b or b2c, not 'b2x'"):
        catalog.filter(model="b2x")
    with pytest.raises(InvalidInput, match="stage must be between 1 and 9, not 10"):
        catalog.filter(stage=10)


def test_unknown_codes_are_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match=r"no task '9\.9\.9' in T/CCPITCSC 111-2022") as info:
        catalog.task("9.9.9")
    assert info.value.code == "not_found"
    with pytest.raises(NotFound, match=r"no workflow step '5\.19'"):
        catalog.step("5.19")
    with pytest.raises(NotFound, match="no stage 10"):
        catalog.stage(10)


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


# --- the validator -------------------------------------------------------------------------


def test_validate_accepts_the_packaged_data(raw: dict[str, Any], catalog: Catalog) -> None:
    assert validate(raw) == catalog


def _duplicate(raw: dict[str, Any]) -> None:
    raw["task"].append(copy.deepcopy(entry(raw, "3.2.6")))


def _remove(raw: dict[str, Any]) -> None:
    raw["task"].remove(entry(raw, "5.3.10"))


def _rename(raw: dict[str, Any]) -> None:
    entry(raw, "3.2.7")["code"] = "3.2.8"


def _set(code: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        entry(raw, code)[key] = value

    return mutate


def _orphan_step(raw: dict[str, Any]) -> None:
    entry(raw, "1.2.1")["steps"] = ["5.1"]


def _empty_step_text(raw: dict[str, Any]) -> None:
    next(s for s in raw["step"] if s["code"] == "5.4")["text_zh"] = ""


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (_duplicate, "task code 3.2.6 appears 2 times"),
        (_remove, "task code 5.3.10 is missing"),
        (_rename, "task code 3.2.8 is not in Table 1 of the standard"),
        (_set("3.2.6", "cadence", "hourly"), "task 3.2.6: unknown cadence 'hourly'"),
        (_set("3.2.6", "applies_to", "b2x"), "task 3.2.6: unknown applies_to 'b2x'"),
        (_set("3.2.6", "steps", ["5.7", "5.19"]), "task 3.2.6: unknown workflow step '5.19'"),
        (_set("3.2.6", "steps", []), "task 3.2.6 has no workflow steps"),
        (_set("3.2.6", "stage", 4), "task 3.2.6: stage 4 does not match its code prefix"),
        (
            _set("3.2.6", "work_item", "3.3"),
            "task 3.2.6: work_item '3.3' does not match its code prefix",
        ),
        (_set("3.2.6", "requirement_zh", "  "), "task 3.2.6: requirement_zh is empty"),
        (_set("3.2.6", "title_zh", ""), "task 3.2.6: title_zh is empty"),
        (
            _set("3.2.6", "applies_to", "b2c"),
            "task 3.2.6: applies_to 'b2c' conflicts with work item 3.2, which is b2b only",
        ),
        (
            _set("3.3.2", "steps", ["5.16"]),
            "task 3.3.2: applies to b2c but none of its workflow steps (5.16) does",
        ),
        (
            _set("1.1.2", "requirement_zh", "调研市场容量"),
            "task 1.1.2: duplicate_of 1.1.1, but the texts differ",
        ),
        (_set("3.2.6", "cadance", "weekly"), "task 3.2.6: unknown field 'cadance'"),
        (_orphan_step, "workflow step 5.2 has no tasks"),
        (_empty_step_text, "workflow step 5.4: text_zh is empty"),
    ],
)
def test_validate_names_the_problem(
    raw: dict[str, Any], mutate: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    mutate(raw)
    with pytest.raises(StandardDataError) as info:
        validate(raw)
    assert fragment in info.value.message
    assert [p for p in info.value.details["problems"] if fragment in p]
    assert info.value.message.startswith("the data of the standard is invalid: ")


def test_validate_reports_every_problem_at_once(raw: dict[str, Any]) -> None:
    _remove(raw)
    _set("3.2.6", "cadence", "hourly")(raw)
    with pytest.raises(StandardDataError) as info:
        validate(raw)
    assert info.value.details["problems"] == [
        "task 3.2.6: unknown cadence 'hourly' (expected one of once, daily, weekly, monthly, "
        "quarterly, per_campaign, per_order, per_inquiry, per_listing, ongoing)",
        "task code 5.3.10 is missing",
    ]


def test_standard_data_error_is_a_domain_error() -> None:
    error = StandardDataError("broken")
    assert isinstance(error, DomainError)
    assert error.code == "standard_data_invalid"
