"""``storeops assess``: assess a store against T/CCPITCSC 111-2022 over a period."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from storeops.cli.common import cli_errors, company_actor, err, unit_of_work
from storeops.errors import InvalidInput
from storeops.standard.assessment import assess_store, compare
from storeops.standard.report import report_html, report_json, report_pdf
from storeops.stores.service import get_store


class ReportFormat(StrEnum):
    """Output formats of the assessment report."""

    json = "json"
    html = "html"
    pdf = "pdf"


DateOpt = {"formats": ["%Y-%m-%d"]}


@cli_errors
def assess(
    store_id: Annotated[
        int, typer.Option("--store", "-s", help="Store id (see `storeops store list`).")
    ],
    start: Annotated[
        dt.datetime,
        typer.Option("--from", help="First day (store's timezone), YYYY-MM-DD.", **DateOpt),
    ],
    end: Annotated[
        dt.datetime, typer.Option("--to", help="Last day, inclusive, YYYY-MM-DD.", **DateOpt)
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="json, html or pdf.")
    ] = ReportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file (needed for pdf)."),
    ] = None,
    compare_from: Annotated[
        dt.datetime | None,
        typer.Option(
            "--compare-from", help="Start of an earlier period to compare with (json).", **DateOpt
        ),
    ] = None,
    compare_to: Annotated[
        dt.datetime | None,
        typer.Option("--compare-to", help="End of the earlier period.", **DateOpt),
    ] = None,
    company: Annotated[
        str | None,
        typer.Option("--company", "-c", help="Company name (needed only when there are several)."),
    ] = None,
) -> None:
    """Assess a store over a period: a finding for each of the 127 tasks (evidenced, partly,
    missing, not applicable), the automated checks with their thresholds and sources, scores per
    stage and overall, and the top gaps with the action and task that fix each.

    Example: storeops assess --store 2 --from 2026-07-01 --to 2026-09-30 --format pdf -o report.pdf
    """
    if fmt is ReportFormat.pdf and output is None:
        raise InvalidInput("a PDF needs --output FILE", field="output")
    if (compare_from is None) != (compare_to is None):
        raise InvalidInput("give both --compare-from and --compare-to", field="compare_from")
    with unit_of_work() as session:
        actor = company_actor(session, company)
        store = get_store(session, store_id=store_id, actor=actor)
        assessment = assess_store(
            session, store=store, actor=actor, start=start.date(), end=end.date()
        )
        comparison = None
        if compare_from is not None and compare_to is not None:
            earlier = assess_store(
                session, store=store, actor=actor, start=compare_from.date(), end=compare_to.date()
            )
            comparison = compare(earlier, assessment)
    if fmt is ReportFormat.pdf:
        assert output is not None
        output.write_bytes(report_pdf(assessment))
        err.print(f"wrote {output} (overall score {assessment.overall})", highlight=False)
        return
    if fmt is ReportFormat.html:
        text = report_html(assessment)
    elif comparison is not None:
        text = json.dumps({"assessment": assessment.as_dict(), "comparison": comparison},
                          ensure_ascii=False, indent=2) + "\n"  # fmt: skip
    else:
        text = report_json(assessment)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output} (overall score {assessment.overall})", highlight=False)
    else:
        sys.stdout.write(text)
