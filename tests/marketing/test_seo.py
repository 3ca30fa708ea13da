"""5.5 SEO audit of local HTML pages: title, description, headings, ALT, broken links, sitemap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storeops.auth.enums import Role
from storeops.auth.scoping import Actor
from storeops.cli.main import app as cli_app
from storeops.errors import InvalidInput, PermissionDenied
from storeops.marketing.seo import audit_site

MARKETER = Actor(
    company_id=1,
    role=Role.MARKETING,
    store_ids=frozenset(),
    permissions=frozenset({"marketing.read"}),
)  # type: ignore[arg-type]
GOOD = """<!doctype html><html><head><title>Magnetic Car Phone Holders | Acme</title>
<meta name="description" content="Strong magnetic car phone holders for every dashboard, shipped from our own factory."></head>
<body><h1>Car phone holders</h1><h2>Magnetic</h2><img src="/img/a.jpg" alt="Magnetic holder">
<a href="/about.html">About</a> <a href="products/">Products</a> <a href="https://example.org/x">x</a>
<a href="#top">top</a> <a href="mailto:sales@acme.example">mail</a></body></html>"""
POOR = """<html><head><title>About</title></head><body><h2>Us</h2><h4>History</h4>
<img src="a.jpg"><img src="b.jpg" alt=""><img src="c.jpg" alt="Factory">
<a href="/index.html">Home</a> <a href="contact.html">Contact</a> <a href="/img/missing.png#x">img</a>
</body></html>"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://acme.example/index.html</loc></url><url><loc>https://acme.example/products/</loc></url>
</urlset>"""


def test_audit_finds_each_problem_with_its_source() -> None:
    pages = {"/index.html": GOOD, "/about.html": POOR, "/products/index.html": GOOD}
    result = audit_site(
        actor=MARKETER, pages=pages, sitemap_xml=SITEMAP, other_files=frozenset({"/img/a.jpg"})
    )
    by_page = {p.page: p for p in result.pages}
    good = by_page["/index.html"]
    assert (
        good.title,
        good.h1_count,
        good.images_without_alt,
        good.internal_links,
        good.external_links,
    ) == ("Magnetic Car Phone Holders | Acme", 1, 0, 2, 1)
    assert good.broken_links == [] and good.in_sitemap is True and good.issues == []
    assert by_page["/products/index.html"].in_sitemap is True  # listed as /products/
    poor = by_page["/about.html"]
    assert [(i.check, i.message) for i in poor.issues] == [
        ("title", "the title has 5 characters; aim for 10-60"),
        ("description", "the page has no meta description"),
        ("headings", "the page has 0 <h1> headings; use exactly one"),
        ("headings", "heading level jumps from h2 to h4"),
        ("alt", "2 of 3 images have no alt text"),
        ("links", "2 broken internal links: contact.html, /img/missing.png#x"),
        ("sitemap", "the sitemap does not list this page"),
    ]
    assert all("developers.google.com" in i.source for i in poor.issues)
    # the same HTML one level down: its relative link "products/" points to /products/products/
    products = by_page["/products/index.html"]
    assert [(i.check, i.message) for i in products.issues] == [
        ("links", "1 broken internal links: products/")
    ]
    assert result.issue_count == 8


def test_missing_sitemap_bad_xml_and_permissions() -> None:
    result = audit_site(actor=MARKETER, pages={"/index.html": GOOD})
    assert [i.check for i in result.pages[0].issues] == [
        "links",
        "sitemap",
    ]  # /about.html, products/ missing
    with pytest.raises(InvalidInput, match="not valid XML"):
        audit_site(actor=MARKETER, pages={"/index.html": GOOD}, sitemap_xml="<urlset>")
    with pytest.raises(InvalidInput, match="DOCTYPE"):
        audit_site(
            actor=MARKETER,
            pages={"/index.html": GOOD},
            sitemap_xml='<!DOCTYPE x [<!ENTITY a "b">]><x/>',
        )
    nobody = Actor(company_id=1, role=Role.VIEWER, store_ids=frozenset())
    with pytest.raises(PermissionDenied):
        audit_site(actor=nobody, pages={"/index.html": GOOD})


def test_cli_audits_a_local_copy_of_the_site(tmp_path: Path, fresh_db_url: str) -> None:
    runner = CliRunner()
    init = runner.invoke(
        cli_app,
        ["init", "--admin", "a@b.example", "--company", "Acme", "--password-stdin"],
        input="a long enough password\n",
    )
    assert init.exit_code == 0, init.output
    site = tmp_path / "site"
    (site / "products").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "index.html").write_text(GOOD, encoding="utf-8")
    (site / "about.html").write_text(POOR, encoding="utf-8")
    (site / "products" / "index.html").write_text(GOOD, encoding="utf-8")
    (site / "img" / "a.jpg").write_bytes(b"\xff\xd8")
    (site / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    result = runner.invoke(cli_app, ["marketing", "seo-audit", str(site), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["page"]: r for r in json.loads(result.output)}
    assert rows["/about.html"]["issues"].count("|") == 6  # seven issues
    assert rows["/index.html"]["issues"] == ""
