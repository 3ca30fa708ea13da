"""``storeops crm``: inquiries with reply deadlines, the overdue queue, replies and templates (7.1.1)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from storeops.cli.common import (
    FormatOption,
    OutputFormat,
    cli_errors,
    company_actor,
    emit,
    out,
    unit_of_work,
)
from storeops.crm import service
from storeops.crm.schemas import InquirySla, TemplateWrite
from storeops.stores.service import get_store

app = typer.Typer(
    help="Buyers' inquiries (7.1.1): reply deadlines by platform and service hours, the overdue "
    "queue, replies and reply templates in several languages.",
    no_args_is_help=True,
)
CompanyOption = typer.Option(
    "--company", "-c", help="Company name (needed only when there are several)."
)
StoreOption = typer.Option("--store", "-s", help="Store id (see `storeops store list`).")

INQUIRY_COLUMNS = [
    "id",
    "status",
    "language",
    "subject",
    "received_at",
    "due_at",
    "first_reply_at",
    "reply_working_minutes",
    "overdue_minutes",
]


def _row(sla: InquirySla) -> dict[str, Any]:
    return sla.model_dump(mode="json")


@app.command("inquiries")
@cli_errors
def inquiries(
    store: Annotated[int, StoreOption],
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only unanswered inquiries past their deadline.")
    ] = False,
    unanswered: Annotated[bool, typer.Option("--unanswered", help="Only unanswered ones.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=5000, help="At most this many.")] = 50,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List a store's inquiries with deadline and first-reply time (clock and service hours)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        if overdue:
            rows = service.overdue_queue(session, store=shop, actor=actor)[:limit]
        else:
            rows = service.list_inquiries(
                session, store=shop, actor=actor, unanswered_only=unanswered, limit=limit
            )
        emit([_row(r) for r in rows], INQUIRY_COLUMNS, fmt, title="inquiries")


@app.command("reply")
@cli_errors
def reply(
    inquiry_id: Annotated[int, typer.Argument(help="The inquiry's id.")],
    text: Annotated[str | None, typer.Option("--text", help="The reply's text.")] = None,
    template: Annotated[
        str | None, typer.Option(help="A template's name; the buyer's language is chosen.")
    ] = None,
    escalate: Annotated[
        bool, typer.Option("--escalate", help="8.3.1 record the question as handed upwards.")
    ] = False,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Reply to an inquiry (recorded with its time; the first reply stops the clock)."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        inquiry = service.get_inquiry(session, inquiry_id=inquiry_id, actor=actor)
        sent = service.reply_inquiry(
            session, inquiry=inquiry, actor=actor, body=text, template=template, escalate=escalate
        )
        out.print(f"reply {sent.id} recorded for inquiry {inquiry_id} ({sent.language})")


@app.command("policy")
@cli_errors
def policy(
    store: Annotated[int, StoreOption],
    deadline_minutes: Annotated[
        int | None, typer.Option(help="Platform deadline in clock minutes (e.g. 1440 = 24 h).")
    ] = None,
    working_minutes: Annotated[
        int | None, typer.Option(help="The store's own target in minutes of service hours.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """Show, or with options set, the store's reply deadline."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        current = service.reply_policy(session, store=shop, actor=actor)
        if deadline_minutes is not None or working_minutes is not None:
            current = service.set_reply_policy(
                session,
                store=shop,
                actor=actor,
                platform_deadline_minutes=deadline_minutes or current.platform_deadline_minutes,
                working_target_minutes=working_minutes or current.working_target_minutes,
            )
        row = current.model_dump()
    emit([row], list(row), fmt, title="reply policy", one=True)


@app.command("template-add")
@cli_errors
def template_add(
    store: Annotated[int, StoreOption],
    name: Annotated[str, typer.Option(help="Template name, shared by its languages.")],
    language: Annotated[str, typer.Option(help="Language code, e.g. en, es, de, ar.")],
    body: Annotated[str, typer.Option(help="Text; placeholders {buyer}, {subject}, {store}.")],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """Add a reply template in one language."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        made = service.add_reply_template(
            session,
            store=shop,
            actor=actor,
            data=TemplateWrite(name=name, language=language, body=body),
        )
        out.print(f"template {made.name!r} ({made.language}) added, id {made.id}")


@app.command("templates")
@cli_errors
def templates(
    store: Annotated[int, StoreOption],
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List the store's reply templates."""
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        rows = [
            {"id": t.id, "name": t.name, "language": t.language, "body": t.body}
            for t in service.list_reply_templates(session, store=shop, actor=actor)
        ]
    emit(rows, ["id", "name", "language", "body"], fmt, title="reply templates")


@app.command("buyers")
@cli_errors
def buyers(
    store: Annotated[int, StoreOption],
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 200,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """List or export (-f csv) the store's buyers with their contact (personal data decrypted)."""
    from storeops.crm import pii

    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        rows = [
            vars(v) for v in pii.list_buyer_contacts(session, store=shop, actor=actor, limit=limit)
        ]
    emit(
        rows,
        [
            "buyer_id",
            "handle",
            "country",
            "postcode_prefix",
            "name",
            "email",
            "phone",
            "address",
            "erased",
        ],
        fmt,
        title="buyers",
    )


@app.command("pii-erase")
@cli_errors
def pii_erase(
    retention_days: Annotated[
        int | None, typer.Option(help="First set this retention for every store (days).")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """9.3.1 Erase buyers' personal data past retention after their last delivery (daily job)."""
    from storeops.crm import pii
    from storeops.stores.service import list_stores

    with unit_of_work() as session:
        actor = company_actor(session, company)
        if retention_days is not None:
            for shop in list_stores(session, actor=actor):
                pii.set_retention(session, store=shop, days=retention_days, actor=actor)
        erased = pii.erase_expired_contacts(session, actor=actor)
        out.print(f"erased the personal data of {erased} buyer(s)")


@app.command("campaign-send")
@cli_errors
def campaign_send(
    campaign_id: Annotated[int, typer.Argument(help="The campaign's id.")],
    smtp_host: Annotated[str, typer.Option(help="SMTP server host.")],
    smtp_port: Annotated[int, typer.Option(help="SMTP server port.")] = 25,
    sender: Annotated[str, typer.Option(help="From address.")] = "noreply@localhost",
    starttls: Annotated[bool, typer.Option(help="Use STARTTLS.")] = False,
    base_url: Annotated[
        str, typer.Option(help="Public URL of this storeops (tracked links).")
    ] = "http://localhost:8000",
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """7.1.3 Send a campaign to its segment through an SMTP server; print its counts."""
    from storeops.auth.scoping import get_scoped
    from storeops.crm import campaigns
    from storeops.crm.models import EmailCampaign

    with unit_of_work() as session:
        actor = company_actor(session, company)
        campaign = get_scoped(session, EmailCampaign, campaign_id, actor, what="campaign")
        stats = campaigns.send_campaign(
            session,
            campaign=campaign,
            actor=actor,
            smtp=campaigns.SmtpServer(
                host=smtp_host, port=smtp_port, sender=sender, starttls=starttls
            ),
            base_url=base_url,
        )
        out.print(
            f"campaign {campaign_id}: {stats.recipients} recipients, {stats.delivered} delivered, "
            f"{stats.bounced} bounced"
        )


@app.command("inbox")
@cli_errors
def inbox(
    channel: Annotated[
        str | None, typer.Option(help="phone, chat, voice, video, social, email.")
    ] = None,
    company: Annotated[str | None, CompanyOption] = None,
    fmt: Annotated[OutputFormat, FormatOption] = OutputFormat.TABLE,
) -> None:
    """7.3.1 Open conversations over every channel and store, buyers waiting longest first."""
    from storeops.crm import service_desk
    from storeops.crm.enums import ServiceChannel

    with unit_of_work() as session:
        actor = company_actor(session, company)
        kind = ServiceChannel(channel) if channel else None
        rows = [vars(i) for i in service_desk.inbox(session, actor=actor, channel=kind)]
    emit(
        rows,
        ["id", "store_id", "channel", "subject", "waiting_since", "last_message_at"],
        fmt,
        title="inbox",
    )


@app.command("prospects-import")
@cli_errors
def prospects_import(
    path: Annotated[str, typer.Argument(help="CSV with company_name, country, source, website.")],
    store: Annotated[int, StoreOption],
    company: Annotated[str | None, CompanyOption] = None,
) -> None:
    """7.2.1 Import prospects (customs, platform, search, social), de-duplicated; all or nothing."""
    from pathlib import Path

    from storeops.crm import pipeline

    text = Path(path).read_text(encoding="utf-8-sig")
    with unit_of_work() as session:
        actor = company_actor(session, company)
        shop = get_store(session, store_id=store, actor=actor)
        result = pipeline.import_prospects(session, store=shop, actor=actor, csv_text=text)
        for row, column, reason in result.errors:
            out.print(f"row {row}, {column}: {reason}")
        if result.errors:
            raise typer.Exit(2)
        out.print(f"{result.created} prospect(s) added, {result.duplicates} duplicate(s) merged")
