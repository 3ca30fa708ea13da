"""The task catalog of T/CCPITCSC 111-2022: read from ``data/tasks.toml``, validated, queried.

Table 1 of the standard has 9 operation stages, 26 work items and 127 task codes; clause 5 has the
18-step workflow drawn in Figure A.1. ``load_catalog()`` returns them as frozen dataclasses.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

from storeops.errors import DomainError, InvalidInput, NotFound

Model = Literal["b2b", "b2c"]
AppliesTo = Literal["b2b", "b2c", "both"]
Cadence = Literal[
    "once",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "per_campaign",
    "per_order",
    "per_inquiry",
    "per_listing",
    "ongoing",
]

MODELS: Final[tuple[Model, ...]] = get_args(Model)
APPLIES_TO: Final[tuple[AppliesTo, ...]] = get_args(AppliesTo)
CADENCES: Final[tuple[Cadence, ...]] = get_args(Cadence)

#: Table 1 of the standard, compactly: work item -> number of tasks under it.
TASKS_PER_WORK_ITEM: Final[Mapping[str, int]] = MappingProxyType(
    {
        "1.1": 9, "1.2": 2,
        "2.1": 2, "2.2": 2, "2.3": 2,
        "3.1": 5, "3.2": 7, "3.3": 4,
        "4.1": 6, "4.2": 4,
        "5.1": 3, "5.2": 3, "5.3": 10, "5.4": 6, "5.5": 6,
        "6.1": 10, "6.2": 5,
        "7.1": 3, "7.2": 3, "7.3": 3,
        "8.1": 6, "8.2": 3, "8.3": 5,
        "9.1": 7, "9.2": 5, "9.3": 6,
    }
)  # fmt: skip
#: Operation stages (运营环节) of Table 1, numbered 1 to 9.
STAGE_COUNT: Final = 9
#: Workflow steps of clause 5, coded 5.1 to 5.18.
WORKFLOW_STEP_COUNT: Final = 18

_TASK_CODE = re.compile(r"\d\.\d\.\d{1,2}")
_ROOT_FIELDS = frozenset(
    {"version", "standard", "title_zh", "title_en", "published", "effective"}
    | {"stage", "work_item", "step", "task"}
)
_STAGE_FIELDS = frozenset({"number", "name_zh", "name_en", "note"})
_WORK_ITEM_FIELDS = frozenset({"code", "stage", "name_zh", "name_en", "applies_to", "note"})
_STEP_FIELDS = frozenset({"code", "order", "title_zh", "title_en", "text_zh", "applies_to", "note"})
_TASK_FIELDS = frozenset(
    {"code", "stage", "work_item", "title_zh", "title_en", "requirement_zh"}
    | {"applies_to", "cadence", "steps", "note", "duplicate_of"}
)


class StandardDataError(DomainError):
    """The packaged data of the standard breaks one of its invariants."""

    code = "standard_data_invalid"


def code_key(code: str) -> tuple[int, ...]:
    """Sort key that orders codes numerically: 5.3.9 before 5.3.10."""
    return tuple(int(part) for part in code.split("."))


def expected_task_codes() -> tuple[str, ...]:
    """All 127 task codes of Table 1, in order, derived from ``TASKS_PER_WORK_ITEM``."""
    return tuple(
        f"{work_item}.{n}"
        for work_item, count in TASKS_PER_WORK_ITEM.items()
        for n in range(1, count + 1)
    )


def expected_step_codes() -> tuple[str, ...]:
    """The workflow step codes of clause 5, 5.1 to 5.18."""
    return tuple(f"5.{n}" for n in range(1, WORKFLOW_STEP_COUNT + 1))


def covers(applies_to: AppliesTo, model: Model) -> bool:
    """Whether something that applies to ``applies_to`` concerns a store of ``model``."""
    return applies_to in (model, "both")


@dataclass(frozen=True, slots=True)
class Stage:
    """One of the 9 operation stages (运营环节) of Table 1."""

    number: int
    name_zh: str
    name_en: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A work item (工作任务) of Table 1, e.g. 3.2 产品上架、管理与优化 B2B."""

    code: str
    stage: int
    name_zh: str
    name_en: str
    applies_to: AppliesTo
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WorkflowStep:
    """A step of the clause 5 workflow (a box of Figure A.1), e.g. 5.13 物流甄选."""

    code: str
    order: int
    title_zh: str
    title_en: str
    text_zh: str
    applies_to: AppliesTo
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A task code of Table 1 with its requirement text and storeops' reading of it."""

    code: str
    stage: int
    work_item: str
    title_zh: str
    title_en: str
    requirement_zh: str
    applies_to: AppliesTo
    cadence: Cadence
    steps: tuple[str, ...]
    note: str | None = None
    duplicate_of: str | None = None

    def concerns(self, model: Model) -> bool:
        """Whether a store of ``model`` (b2b or b2c) has to do this task."""
        return covers(self.applies_to, model)


@dataclass(frozen=True)
class Catalog:
    """The whole standard as data; build it with ``validate`` or ``load_catalog``."""

    version: str
    standard: str
    title_zh: str
    title_en: str
    published: date | None
    effective: date | None
    stages: tuple[Stage, ...]
    work_items: tuple[WorkItem, ...]
    tasks: tuple[Task, ...]
    steps: tuple[WorkflowStep, ...]
    _tasks: Mapping[str, Task] = field(init=False, repr=False, compare=False)
    _steps: Mapping[str, WorkflowStep] = field(init=False, repr=False, compare=False)
    _work_items: Mapping[str, WorkItem] = field(init=False, repr=False, compare=False)
    _stages: Mapping[int, Stage] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tasks", {t.code: t for t in self.tasks})
        object.__setattr__(self, "_steps", {s.code: s for s in self.steps})
        object.__setattr__(self, "_work_items", {w.code: w for w in self.work_items})
        object.__setattr__(self, "_stages", {s.number: s for s in self.stages})

    def task(self, code: str) -> Task:
        """The task with this code; ``NotFound`` if Table 1 has no such code."""
        try:
            return self._tasks[code.strip()]
        except KeyError:
            raise NotFound(
                f"no task {code!r} in {self.standard} (task codes run from "
                f"{self.tasks[0].code} to {self.tasks[-1].code}, e.g. 3.2.6)",
                field="code",
                task_code=code,
            ) from None

    def step(self, code: str) -> WorkflowStep:
        """The workflow step with this code; ``NotFound`` if clause 5 has no such step."""
        try:
            return self._steps[code.strip()]
        except KeyError:
            raise NotFound(
                f"no workflow step {code!r} in {self.standard} (steps run from "
                f"{self.steps[0].code} to {self.steps[-1].code})",
                field="code",
                step_code=code,
            ) from None

    def work_item(self, code: str) -> WorkItem:
        """The work item with this code (e.g. "3.2"); ``NotFound`` if there is none."""
        try:
            return self._work_items[code.strip()]
        except KeyError:
            raise NotFound(
                f"no work item {code!r} in {self.standard}", field="code", work_item=code
            ) from None

    def stage(self, number: int) -> Stage:
        """The operation stage with this number (1-9); ``NotFound`` if there is none."""
        try:
            return self._stages[number]
        except KeyError:
            raise NotFound(
                f"no stage {number} in {self.standard} (stages run from 1 to {STAGE_COUNT})",
                field="stage",
                stage=number,
            ) from None

    def steps_of(self, task: Task) -> tuple[WorkflowStep, ...]:
        """The workflow steps a task belongs to, in flow order."""
        return tuple(sorted((self._steps[c] for c in task.steps), key=lambda s: s.order))

    def tasks_of_step(self, code: str) -> tuple[Task, ...]:
        """The tasks that belong to a workflow step, in code order."""
        step = self.step(code)
        return tuple(t for t in self.tasks if step.code in t.steps)

    def filter(
        self, stage: int | None = None, model: str | None = None, text: str | None = None
    ) -> tuple[Task, ...]:
        """Tasks of a stage, for a model (b2b/b2c, "both" tasks included), matching a text."""
        if stage is not None and stage not in self._stages:
            raise InvalidInput(
                f"stage must be between 1 and {STAGE_COUNT}, not {stage}", field="stage"
            )
        wanted = _model(model)
        needle = (text or "").strip().casefold()
        return tuple(
            t
            for t in self.tasks
            if (stage is None or t.stage == stage)
            and (wanted is None or t.concerns(wanted))
            and (not needle or _matches(t, needle))
        )


def _model(model: str | None) -> Model | None:
    """The model a filter asked for, checked: b2b, b2c or None for all."""
    if model is None:
        return None
    for option in MODELS:
        if model.strip().lower() == option:
            return option
    raise InvalidInput(f"model must be b2b or b2c, not {model!r}", field="model")


def _matches(task: Task, needle: str) -> bool:
    """A code matches itself and its prefixes ("3.2" → 3.2.x); titles and text by substring."""
    if task.code == needle or task.code.startswith(needle.rstrip(".") + "."):
        return True
    return any(needle in s.casefold() for s in (task.title_zh, task.title_en, task.requirement_zh))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog packaged with storeops (``standard/data/tasks.toml``), validated once."""
    source = resources.files("storeops.standard").joinpath("data").joinpath("tasks.toml")
    try:
        with source.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise StandardDataError(f"standard/data/tasks.toml is not valid TOML: {exc}") from exc
    return validate(raw)


def validate(raw: Mapping[str, Any]) -> Catalog:
    """Check the raw data of the standard (as parsed from TOML) and build the ``Catalog``."""
    checker = _Checker()
    catalog = checker.run(raw)
    if checker.problems or catalog is None:
        problems = checker.problems or ["the data could not be read"]
        raise StandardDataError(
            f"the data of the standard is invalid: {'; '.join(problems)}", problems=problems
        )
    return catalog


class _Checker:
    """Collects every problem of the raw data, so that one run names them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    # --- field readers -------------------------------------------------------------------

    def tables(self, raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = raw.get(key)
        if not isinstance(value, list) or not value:
            self.problem(f"[[{key}]] is missing: expected an array of tables")
            return []
        if not all(isinstance(entry, Mapping) for entry in value):
            self.problem(f"[[{key}]] must be an array of tables")
            return []
        return value

    def fields(self, entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        for key in sorted(set(entry) - allowed):
            self.problem(f"{where}: unknown field {key!r}")

    def text(self, entry: Mapping[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if value is None:
            self.problem(f"{where}: {key} is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"{where}: {key} must be a string")
            return ""
        if not value.strip():
            self.problem(f"{where}: {key} is empty")
        return value

    def optional_text(self, entry: Mapping[str, Any], key: str, where: str) -> str | None:
        if entry.get(key) is None:
            return None
        return self.text(entry, key, where) or None

    def integer(self, entry: Mapping[str, Any], key: str, where: str) -> int | None:
        value = entry.get(key)
        if value is None:
            self.problem(f"{where}: {key} is missing")
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(f"{where}: {key} must be an integer, not {value!r}")
            return None
        return value

    def applies_to(self, entry: Mapping[str, Any], where: str) -> AppliesTo | None:
        value = entry.get("applies_to")
        for option in APPLIES_TO:
            if value == option:
                return option
        self.problem(
            f"{where}: unknown applies_to {value!r} (expected one of {', '.join(APPLIES_TO)})"
        )
        return None

    def cadence(self, entry: Mapping[str, Any], where: str) -> Cadence:
        value = entry.get("cadence")
        for option in CADENCES:
            if value == option:
                return option
        self.problem(f"{where}: unknown cadence {value!r} (expected one of {', '.join(CADENCES)})")
        return "once"

    def calendar_date(self, raw: Mapping[str, Any], key: str) -> date | None:
        value = raw.get(key)
        if value is not None and not isinstance(value, date):
            self.problem(f"{key} must be a date, not {value!r}")
            return None
        return value

    def duplicates(self, what: str, codes: list[Any]) -> None:
        for code, count in Counter(codes).items():
            if count > 1:
                self.problem(f"{what} {code} appears {count} times")

    # --- the checks -------------------------------------------------------------------------

    def run(self, raw: Mapping[str, Any]) -> Catalog | None:
        if not isinstance(raw, Mapping):
            self.problem("the data must be a table")
            return None
        self.fields(raw, _ROOT_FIELDS, "the top level")
        version = self.text(raw, "version", "the top level")
        standard = self.text(raw, "standard", "the top level")
        title_zh = self.text(raw, "title_zh", "the top level")
        title_en = self.text(raw, "title_en", "the top level")
        published = self.calendar_date(raw, "published")
        effective = self.calendar_date(raw, "effective")
        stages = self.stages(raw)
        work_items = self.work_items(raw, {s.number for s in stages})
        steps = self.steps(raw)
        tasks = self.tasks(raw, {w.code: w for w in work_items}, {s.code: s for s in steps})
        for step in steps:
            if not any(step.code in t.steps for t in tasks):
                self.problem(f"workflow step {step.code} has no tasks")
        if self.problems:
            return None
        return Catalog(
            version=version,
            standard=standard,
            title_zh=title_zh,
            title_en=title_en,
            published=published,
            effective=effective,
            stages=tuple(sorted(stages, key=lambda s: s.number)),
            work_items=tuple(sorted(work_items, key=lambda w: code_key(w.code))),
            tasks=tuple(sorted(tasks, key=lambda t: code_key(t.code))),
            steps=tuple(sorted(steps, key=lambda s: s.order)),
        )

    def stages(self, raw: Mapping[str, Any]) -> list[Stage]:
        stages: list[Stage] = []
        for i, entry in enumerate(self.tables(raw, "stage"), 1):
            number = self.integer(entry, "number", f"stage #{i}")
            if number is None:
                continue
            where = f"stage {number}"
            self.fields(entry, _STAGE_FIELDS, where)
            stages.append(
                Stage(
                    number=number,
                    name_zh=self.text(entry, "name_zh", where),
                    name_en=self.text(entry, "name_en", where),
                    note=self.optional_text(entry, "note", where),
                )
            )
        numbers = [s.number for s in stages]
        self.duplicates("stage", numbers)
        for number in range(1, STAGE_COUNT + 1):
            if number not in numbers:
                self.problem(f"stage {number} is missing")
        for number in sorted(set(numbers) - set(range(1, STAGE_COUNT + 1))):
            self.problem(f"stage {number} is not in Table 1 of the standard")
        return stages

    def work_items(self, raw: Mapping[str, Any], stages: set[int]) -> list[WorkItem]:
        work_items: list[WorkItem] = []
        for i, entry in enumerate(self.tables(raw, "work_item"), 1):
            code = entry.get("code")
            if not isinstance(code, str) or not re.fullmatch(r"\d\.\d", code):
                self.problem(f"work item #{i}: code {code!r} is not a work item code (N.N)")
                continue
            where = f"work item {code}"
            self.fields(entry, _WORK_ITEM_FIELDS, where)
            stage = self.integer(entry, "stage", where)
            if stage is not None and str(stage) != code.split(".")[0]:
                self.problem(f"{where}: stage {stage} does not match its code prefix")
            work_items.append(
                WorkItem(
                    code=code,
                    stage=stage or 0,
                    name_zh=self.text(entry, "name_zh", where),
                    name_en=self.text(entry, "name_en", where),
                    applies_to=self.applies_to(entry, where) or "both",
                    note=self.optional_text(entry, "note", where),
                )
            )
        codes = [w.code for w in work_items]
        self.duplicates("work item", codes)
        for code in TASKS_PER_WORK_ITEM:
            if code not in codes:
                self.problem(f"work item {code} is missing")
        for code in sorted(set(codes) - set(TASKS_PER_WORK_ITEM), key=code_key):
            self.problem(f"work item {code} is not in Table 1 of the standard")
        return work_items

    def steps(self, raw: Mapping[str, Any]) -> list[WorkflowStep]:
        steps: list[WorkflowStep] = []
        expected = expected_step_codes()
        for i, entry in enumerate(self.tables(raw, "step"), 1):
            code = entry.get("code")
            if not isinstance(code, str) or not re.fullmatch(r"5\.\d{1,2}", code):
                self.problem(f"workflow step #{i}: code {code!r} is not a step code (5.N)")
                continue
            where = f"workflow step {code}"
            self.fields(entry, _STEP_FIELDS, where)
            order = self.integer(entry, "order", where)
            steps.append(
                WorkflowStep(
                    code=code,
                    order=order or 0,
                    title_zh=self.text(entry, "title_zh", where),
                    title_en=self.text(entry, "title_en", where),
                    text_zh=self.text(entry, "text_zh", where),
                    applies_to=self.applies_to(entry, where) or "both",
                    note=self.optional_text(entry, "note", where),
                )
            )
        codes = [s.code for s in steps]
        self.duplicates("workflow step", codes)
        for code in expected:
            if code not in codes:
                self.problem(f"workflow step {code} is missing")
        for code in sorted(set(codes) - set(expected), key=code_key):
            self.problem(f"workflow step {code} is not in clause 5 of the standard")
        orders = [s.order for s in steps]
        if sorted(orders) != list(range(1, len(steps) + 1)):
            self.problem(f"workflow step orders must be 1 to {len(steps)}, each once")
        return steps

    def tasks(
        self,
        raw: Mapping[str, Any],
        work_items: Mapping[str, WorkItem],
        steps: Mapping[str, WorkflowStep],
    ) -> list[Task]:
        tasks: list[Task] = []
        for i, entry in enumerate(self.tables(raw, "task"), 1):
            code = entry.get("code")
            if not isinstance(code, str) or not _TASK_CODE.fullmatch(code):
                self.problem(f"task #{i}: code {code!r} is not a task code (N.N.N)")
                continue
            task = self.task(code, entry, work_items, steps)
            if task is not None:
                tasks.append(task)
        codes = [t.code for t in tasks]
        self.duplicates("task code", codes)
        expected = expected_task_codes()
        for code in expected:
            if code not in codes:
                self.problem(f"task code {code} is missing")
        for code in sorted(set(codes) - set(expected), key=code_key):
            self.problem(f"task code {code} is not in Table 1 of the standard")
        by_code = {t.code: t for t in tasks}
        for task in tasks:
            if task.duplicate_of is None:
                continue
            original = by_code.get(task.duplicate_of)
            if original is None:
                self.problem(f"task {task.code}: duplicate_of {task.duplicate_of} does not exist")
            elif original.requirement_zh != task.requirement_zh:
                self.problem(
                    f"task {task.code}: duplicate_of {original.code}, but the texts differ"
                )
        return tasks

    def task(
        self,
        code: str,
        entry: Mapping[str, Any],
        work_items: Mapping[str, WorkItem],
        steps: Mapping[str, WorkflowStep],
    ) -> Task | None:
        where = f"task {code}"
        self.fields(entry, _TASK_FIELDS, where)
        work_item_code = code.rsplit(".", 1)[0]
        stage = self.integer(entry, "stage", where)
        if stage is not None and str(stage) != code.split(".")[0]:
            self.problem(f"{where}: stage {stage} does not match its code prefix")
        work_item = entry.get("work_item")
        if work_item != work_item_code:
            self.problem(f"{where}: work_item {work_item!r} does not match its code prefix")
        applies_to = self.applies_to(entry, where)
        parent = work_items.get(work_item_code)
        if (
            parent is not None
            and applies_to is not None
            and parent.applies_to != "both"
            and applies_to != parent.applies_to
        ):
            self.problem(
                f"{where}: applies_to {applies_to!r} conflicts with work item "
                f"{parent.code}, which is {parent.applies_to} only"
            )
        step_codes = entry.get("steps")
        if not isinstance(step_codes, list) or not all(isinstance(s, str) for s in step_codes):
            self.problem(f"{where}: steps must be a list of workflow step codes")
            step_codes = []
        if not step_codes:
            self.problem(f"{where} has no workflow steps")
        for step_code in step_codes:
            if step_code not in steps:
                self.problem(f"{where}: unknown workflow step {step_code!r}")
        self.duplicates(f"{where}: workflow step", step_codes)
        known = [steps[s] for s in step_codes if s in steps]
        if (
            known
            and applies_to is not None
            and applies_to != "both"
            and not any(covers(s.applies_to, applies_to) for s in known)
        ):
            self.problem(
                f"{where}: applies to {applies_to} but none of its workflow steps "
                f"({', '.join(s.code for s in known)}) does"
            )
        return Task(
            code=code,
            stage=stage or 0,
            work_item=work_item_code,
            title_zh=self.text(entry, "title_zh", where),
            title_en=self.text(entry, "title_en", where),
            requirement_zh=self.text(entry, "requirement_zh", where),
            applies_to=applies_to or "both",
            cadence=self.cadence(entry, where),
            steps=tuple(sorted(step_codes, key=lambda s: steps[s].order if s in steps else 0)),
            note=self.optional_text(entry, "note", where),
            duplicate_of=self.optional_text(entry, "duplicate_of", where),
        )
