"""5.5 SEO audit of the seller's own site pages from their HTML: title, meta description,
headings, image ALT text, broken internal links and whether the sitemap lists the page.

Only pages the user hands over are read (files they name, or HTML they upload): storeops never
crawls. Links to other sites are listed, not fetched; a link to a page of the set, or to a file
beside the audited files, is broken when that page or file does not exist.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Final
from urllib.parse import urldefrag, urlsplit

from pydantic import BaseModel

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.errors import InvalidInput

TITLE_LENGTH: Final = (10, 60)
DESCRIPTION_LENGTH: Final = (50, 160)
MAX_PAGES: Final = 500
SOURCES: Final[dict[str, str]] = {
    "title": "Google Search Central: Influencing your title links (https://developers.google.com/search/docs/appearance/title-link); 10-60 characters is a storeops threshold",
    "description": "Google Search Central: Control your snippets, meta descriptions (https://developers.google.com/search/docs/appearance/snippet); 50-160 characters is a storeops threshold",
    "headings": "Google Search Central: SEO Starter Guide, headings (https://developers.google.com/search/docs/fundamentals/seo-starter-guide)",
    "alt": "Google Search Central: Image SEO best practices, alt text (https://developers.google.com/search/docs/appearance/google-images)",
    "links": "Google Search Central: Make your links crawlable (https://developers.google.com/search/docs/crawling-indexing/links-crawlable)",
    "sitemap": "Google Search Central: Build and submit a sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/build-sitemap)",
}


class SeoIssue(BaseModel):
    check: str
    message: str
    source: str


class PageAudit(BaseModel):
    """5.5 One page: what was found and what to fix."""

    page: str
    title: str | None
    description: str | None
    h1_count: int
    images: int
    images_without_alt: int
    internal_links: int
    broken_links: list[str]
    external_links: int
    in_sitemap: bool | None  # None when no sitemap was given
    issues: list[SeoIssue]


class SiteAudit(BaseModel):
    pages: list[PageAudit]
    sitemap_found: bool
    issue_count: int


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.description: str | None = None
        self.headings: list[int] = []
        self.images = 0
        self.no_alt = 0
        self.links: list[str] = []
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and values.get("name", "").lower() == "description":
            self.description = values.get("content", "").strip()
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images += 1
            if not values.get("alt", "").strip():
                self.no_alt += 1
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split())

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)


def sitemap_paths(sitemap_xml: str) -> set[str]:
    """The paths (``/a/b.html``) of every ``<loc>`` of a sitemap; ``InvalidInput`` if malformed."""
    if "<!DOCTYPE" in sitemap_xml or "<!ENTITY" in sitemap_xml:
        raise InvalidInput("the sitemap may not declare a DOCTYPE or entities", field="sitemap")
    try:
        root = ET.fromstring(sitemap_xml)  # noqa: S314  (no DTD allowed above)
    except ET.ParseError as exc:
        raise InvalidInput(f"the sitemap is not valid XML: {exc}", field="sitemap") from None
    paths = set()
    for element in root.iter():
        if element.tag.endswith("loc") and element.text:
            path = urlsplit(element.text.strip()).path or "/"
            paths.add(posixpath.normpath(path))
    return paths


def _issue(check: str, message: str) -> SeoIssue:
    return SeoIssue(check=check, message=message, source=SOURCES[check])


def audit_site(
    *,
    actor: Actor,
    pages: dict[str, str],
    sitemap_xml: str | None = None,
    other_files: frozenset[str] = frozenset(),
) -> SiteAudit:
    """5.5.1-5.5.4 Audit pages given as {site path: HTML}, e.g. {"/index.html": "<html>…"}.

    ``other_files`` are further site paths that exist (images, PDFs) so links to them are not
    reported broken.
    """
    actor.require(Permission.MARKETING_READ)
    if not pages:
        raise InvalidInput("give at least one page", field="pages")
    if len(pages) > MAX_PAGES:
        raise InvalidInput(f"at most {MAX_PAGES} pages per audit", field="pages")
    known = {posixpath.normpath("/" + p.lstrip("/")) for p in (*pages, *other_files)}
    listed = sitemap_paths(sitemap_xml) if sitemap_xml is not None else None
    audits = []
    for name in sorted(pages):
        path = posixpath.normpath("/" + name.lstrip("/"))
        parser = _Page()
        parser.feed(pages[name])
        parser.close()
        issues: list[SeoIssue] = []
        if not parser.title:
            issues.append(_issue("title", "the page has no <title>"))
        elif not TITLE_LENGTH[0] <= len(parser.title) <= TITLE_LENGTH[1]:
            issues.append(
                _issue(
                    "title",
                    f"the title has {len(parser.title)} characters; aim for {TITLE_LENGTH[0]}-{TITLE_LENGTH[1]}",
                )
            )
        if not parser.description:
            issues.append(_issue("description", "the page has no meta description"))
        elif not DESCRIPTION_LENGTH[0] <= len(parser.description) <= DESCRIPTION_LENGTH[1]:
            issues.append(
                _issue(
                    "description",
                    f"the meta description has {len(parser.description)} characters; aim for "
                    f"{DESCRIPTION_LENGTH[0]}-{DESCRIPTION_LENGTH[1]}",
                )
            )
        h1 = parser.headings.count(1)
        if h1 != 1:
            issues.append(_issue("headings", f"the page has {h1} <h1> headings; use exactly one"))
        for before, after in zip(parser.headings, parser.headings[1:], strict=False):
            if after > before + 1:
                issues.append(_issue("headings", f"heading level jumps from h{before} to h{after}"))
                break
        if parser.no_alt:
            issues.append(
                _issue("alt", f"{parser.no_alt} of {parser.images} images have no alt text")
            )
        broken, internal, external = [], 0, 0
        for href in parser.links:
            target, _fragment = urldefrag(href)
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") or target.startswith("//"):
                external += 1
                continue
            if parts.scheme or not target:  # mailto:, tel:, javascript:, same-page anchors
                continue
            internal += 1
            resolved = posixpath.normpath(
                parts.path
                if parts.path.startswith("/")
                else posixpath.join(posixpath.dirname(path), parts.path)
            )
            if resolved not in known and posixpath.join(resolved, "index.html") not in known:
                broken.append(href)
        if broken:
            issues.append(
                _issue("links", f"{len(broken)} broken internal links: {', '.join(broken[:5])}")
            )
        in_sitemap = (
            None
            if listed is None
            else (
                path in listed
                or (path.endswith("/index.html") and posixpath.dirname(path) in listed)
            )
        )
        if in_sitemap is False:
            issues.append(_issue("sitemap", "the sitemap does not list this page"))
        audits.append(
            PageAudit(
                page=path,
                title=parser.title,
                description=parser.description,
                h1_count=h1,
                images=parser.images,
                images_without_alt=parser.no_alt,
                internal_links=internal,
                broken_links=broken,
                external_links=external,
                in_sitemap=in_sitemap,
                issues=issues,
            )
        )
    if sitemap_xml is None:
        for audit in audits:
            audit.issues.append(_issue("sitemap", "no sitemap.xml was given for the site"))
    return SiteAudit(
        pages=audits,
        sitemap_found=sitemap_xml is not None,
        issue_count=sum(len(a.issues) for a in audits),
    )
