"""``storeops staff``: training courses and records, tasks done on time, the competency matrix."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from sqlalchemy import select

from storeops.auth.models import User
from storeops.cli.common import OutputFormat, cli_errors, company_actor, emit, out, unit_of_work
from storeops.errors import NotFound
from storeops.staff import service
from storeops.standard.competency import competency_matrix, employee_figures

app = typer.Typer(
    help="Staff against the standard: training courses and results (7.3.3), tasks owned and done "
    "on time, the employee figures of 6.1.8, competency per stage and the team matrix.",
    no_args_is_help=True,
)
course_app = typer.Typer(help="Training courses.", no_args_is_help=True)
app.add_typer(course_app, name="course")

CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)
FormatOpt = typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
Day = {"formats": ["%Y-%m-%d"]}


@course_app.command("add")
@cli_errors
def course_add(
    code: Annotated[str, typer.Option(help="Short code, unique in the company, e.g. CS-101.")],
    title: Annotated[str, typer.Option(help="What the course is.")],
    tasks: Annotated[
        list[str],
        typer.Option("--task", "-t", help="A task code it trains for (repeatable), e.g. 7.3.3."),
    ],
    pass_score: Annotated[int, typer.Option(min=0, max=100, help="Score needed to pass.")] = 60,
    valid_months: Annotated[
        int | None, typer.Option(min=1, max=120, help="Months a pass stays valid.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Add a training course."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        course = service.create_course(session, actor=actor, code=code, title=title, task_codes=tasks,
                                       pass_score=pass_score, valid_months=valid_months)  # fmt: skip
        out.print(f"added course {course.code} for {', '.join(course.task_codes)}", highlight=False)


@course_app.command("list")
@cli_errors
def course_list(company: Annotated[str | None, CompanyOption] = None,
                fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE) -> None:  # fmt: skip
    """List the training courses."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        rows = [{"code": c.code, "title": c.title, "tasks": c.task_codes, "pass_score": c.pass_score,
                 "valid_months": c.valid_months} for c in service.list_courses(session, actor=actor)]  # fmt: skip
    emit(rows, ("code", "title", "tasks", "pass_score", "valid_months"), fmt, title="courses")


def _user_id(session: object, email: str) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is None:
        raise NotFound(f"user {email!r} not found", field="user")
    return int(found)


@app.command("train")
@cli_errors
def train(
    email: Annotated[str, typer.Argument(help="E-mail of the person trained.")],
    course: Annotated[str, typer.Option(help="Course code.")],
    score: Annotated[int, typer.Option(min=0, max=100, help="Score, 0-100.")],
    on: Annotated[
        dt.datetime, typer.Option("--on", help="Day of the training, YYYY-MM-DD.", **Day)
    ],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Record a training result (passed when the score reaches the course's pass score)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        found = service.get_course(session, code=course, actor=actor)
        record = service.record_training(session, actor=actor, user_id=_user_id(session, email),
                                         course=found, score=score, taken_on=on.date())  # fmt: skip
        out.print(
            f"{email}: {found.code} {score} ({'passed' if record.passed else 'failed'})",
            highlight=False,
        )


@app.command("matrix")
@cli_errors
def matrix(
    start: Annotated[dt.datetime, typer.Option("--from", help="First day, YYYY-MM-DD.", **Day)],
    end: Annotated[dt.datetime, typer.Option("--to", help="Last day, YYYY-MM-DD.", **Day)],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOpt] = OutputFormat.TABLE,
) -> None:
    """The team competency matrix: per person and stage 1-9, competency 0-100 (blank: no evidence),
    with the playbook items owned, done on time and overdue, and the 6.1.8 figures."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        figures = employee_figures(session, actor=actor, start=start.date(), end=end.date())
        rows = []
        for r in competency_matrix(session, actor=actor, start=start.date(), end=end.date()):
            f = figures.get(r.user_id)
            rows.append({
                "user_id": r.user_id, "name": r.name, "role": r.role,
                **{f"s{n}": r.stages[n] for n in range(1, 10)},
                "owned": r.tasks.owned, "on_time": r.tasks.on_time, "overdue": r.tasks.overdue,
                "inquiries": f.inquiries_answered if f else 0,
                "reply_min": f.mean_first_reply_minutes if f else None,
                "edits": f.listings_edited if f else 0, "quotes": f.quotes_created if f else 0,
            })  # fmt: skip
    columns = ("name", "role", *(f"s{n}" for n in range(1, 10)), "owned", "on_time", "overdue",
               "inquiries", "reply_min", "edits", "quotes")  # fmt: skip
    emit(rows, columns, fmt, title="competency matrix")
