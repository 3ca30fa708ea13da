"""The assessment report as JSON, HTML (Jinja2) and PDF (WeasyPrint)."""

from __future__ import annotations

import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from storeops.standard.assessment import Assessment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("storeops.standard", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_json(assessment: Assessment) -> str:
    """The assessment as indented JSON (findings, scores, weighting, top gaps)."""
    return json.dumps(assessment.as_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def report_html(assessment: Assessment) -> str:
    """The assessment as a standalone HTML page."""
    return _environment().get_template("assessment.html.j2").render(a=assessment)


def report_pdf(assessment: Assessment) -> bytes:
    """The assessment as PDF (A4; Chinese text needs a CJK font such as fonts-noto-cjk)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(assessment)).write_pdf()
    return pdf
