"""``/finance``: balances, FX settlement with the individual quota, FX gain/loss, profit per store
and the payout reconciliation (stage 9.3). Nothing is shown to roles without ``finance.read``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request, Response
from nicegui import ui
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.finance import fx, profit, rebates, reports
from storeops.types import Money
from storeops.web.access import declare_page
from storeops.web.labels import Translate
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.fulfilment_common import as_actor, table


def _overview(session: Session, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.FINANCE_READ)
    report = profit.profit_report(session, actor=actor)
    cur = report.base_currency
    return {
        "base": cur,
        "balances": [
            {"currency": b.currency, "paid_out": str(Money(b.paid_out, b.currency)),
             "sold": str(Money(b.sold, b.currency)), "bought": str(Money(b.bought, b.currency)),
             "balance": str(Money(b.balance, b.currency))}
            for b in fx.balances(session, actor=actor)
        ],
        "profit": [
            {"store": k, **{f: str(Money(v[f], cur)) for f in (*profit.FIELDS, "profit")}}
            for k, v in sorted(report.by_store().items())
        ],
        "fx": [
            {"id": r.settlement_id, "settled_at": f"{r.settled_at:%Y-%m-%d}", "sold": str(r.sold),
             "rate": str(r.rate), "bought": str(r.bought), "booked": str(r.booked),
             "gain": str(r.gain)}
            for r in fx.fx_results(session, actor=actor)[-50:]
        ],
        "payouts": profit.reconcile_payouts(session, actor=actor),
        "payments": [
            {"id": i, "store": t.store_id, "method": t.key, "count": t.count,
             "amount": str(Money(t.amount, t.currency))}
            for i, t in enumerate(reports.payments_by_method(session, actor=actor))
        ],
        "fees": [
            {"id": i, "store": t.store_id, "kind": t.key, "count": t.count,
             "amount": str(Money(t.amount, t.currency))}
            for i, t in enumerate(reports.fees_by_type(session, actor=actor))
        ],
        "ageing": [
            {"id": f"{k}-{c}", "kind": k, "currency": c,
             **{b: str(Money(v[b], c)) for b in ("0-30", "31-60", "61-90", "90+")}}
            for (k, c), v in sorted(
                reports.ageing_summary(reports.receivables(session, actor=actor)).items())
        ],
        "rebates": [
            {"id": r.id, "declaration_no": r.declaration_no, "hs_code": r.hs_code,
             "fob": str(Money(r.fob_cny, "CNY")), "rebate": str(Money(r.rebate_cny, "CNY")),
             "deadline": r.deadline.isoformat(), "status": r.status.value}
            for r in rebates.list_rebate_cases(session, actor=actor)
        ],
    }  # fmt: skip


def _settle_form(request: Request, _: Translate) -> None:
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Settle foreign currency (结汇)")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            amount = ui.input(_("Amount")).props("dense outlined").classes("w-32")
            currency = ui.input(_("Currency"), value="USD").props("dense outlined").classes("w-24")
            rate = ui.input(_("Bank rate")).props("dense outlined").classes("w-28")
            channel = ui.input(_("Bank or provider")).props("dense outlined").classes("w-40")
            account = ui.select(
                {"corporate": _("Company account"), "individual": _("Individual (annual quota)")},
                value="corporate", label=_("Account"),
            ).props("dense outlined").classes("w-52")  # fmt: skip
            holder = ui.input(_("Account holder")).props("dense outlined").classes("w-40")
            result = ui.column().classes("gap-1")

            async def submit() -> None:
                def work(s: Session, a: Actor) -> fx.SettlementResult:
                    return fx.settle_fx(
                        s, sold=fx.parse_money(amount.value or "", currency.value or ""),
                        rate=rate.value or "", channel=channel.value or "",
                        account=str(account.value), holder=holder.value or "", actor=a,
                    )  # fmt: skip

                done = await as_actor(request, _, work)
                result.clear()
                if done is None:
                    return
                s = done.settlement
                with result:
                    ui.label(
                        _("Settled {sold} for {bought}").format(
                            sold=Money(s.sold_amount, s.sold_currency),
                            bought=Money(s.bought_amount, s.bought_currency),
                        )
                    ).classes("text-sm so-settled")
                    for warning in done.warnings:
                        ui.label(warning).classes("text-sm text-amber-800")

            ui.button(_("Settle"), on_click=submit).props("no-caps color=primary")


def _declaration_form(request: Request, _: Translate) -> None:
    with ui.card().classes("so-card w-full p-4").props("flat"):
        ui.label(_("Payment information declaration (CSV or XML)")).classes("text-sm font-semibold")
        with ui.row().classes("items-end gap-3"):
            start = ui.input(_("From (YYYY-MM-DD)")).props("dense outlined").classes("w-40")
            end = ui.input(_("To (YYYY-MM-DD)")).props("dense outlined").classes("w-40")

            async def export(kind: str) -> None:
                try:
                    lo = dt.date.fromisoformat(start.value or "")
                    hi = dt.date.fromisoformat(end.value or "")
                except ValueError:
                    ui.notify(_("Enter both days as YYYY-MM-DD."), type="warning")
                    return

                def work(s: Session, a: Actor) -> str:
                    rows = reports.payment_declaration_rows(s, actor=a, start=lo, end=hi)
                    if kind == "xml":
                        return reports.payment_declaration_xml(rows, start=lo, end=hi)
                    return reports.payment_declaration_csv(rows)

                body = await as_actor(request, _, work)
                if body is not None:
                    ui.download.content(body.encode("utf-8"), f"payments-{lo}-{hi}.{kind}")

            ui.button(_("Download CSV"), on_click=lambda: export("csv")).props("no-caps outline")
            ui.button(_("Download XML"), on_click=lambda: export("xml")).props("no-caps outline")


def register() -> None:
    """Add the finance page."""

    declare_page("/finance", Permission.FINANCE_READ)

    @ui.page("/finance")
    async def finance_page(request: Request) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="finance", title=_("Finance")):
            heading(_("Finance"), _("9.3 Payments, FX settlement, profit and payouts"))
            data = await as_actor(request, _, _overview)
            if data is None:
                ui.label(_("Finance figures are shown to roles with finance access only.")).classes(
                    "text-sm so-muted so-finance-hidden"
                )
                return None
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Balances per currency")).classes("text-sm font-semibold px-4 pt-3")
                table([("currency", _("Currency")), ("paid_out", _("Paid out")),
                       ("sold", _("Sold")), ("bought", _("Bought")), ("balance", _("Balance"))],
                      data["balances"], key="currency")  # fmt: skip
            _settle_form(request, _)
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("Profit per store ({currency})").format(currency=data["base"])).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                table([("store", _("Store")), ("sale", _("Sale")), ("platform_fees", _("Platform fees")),
                       ("advertising", _("Advertising")), ("shipping", _("Shipping")),
                       ("landed_cost", _("Landed cost")), ("refunds", _("Refunds")),
                       ("fx", _("FX")), ("profit", _("Profit"))],
                      data["profit"], key="store")  # fmt: skip
            with ui.card().classes("so-card w-full p-0").props("flat"):
                ui.label(_("FX gain or loss against the rate at order time")).classes(
                    "text-sm font-semibold px-4 pt-3"
                )
                table([("id", _("Settlement")), ("settled_at", _("Settled on")), ("sold", _("Sold")),
                       ("rate", _("Rate")), ("bought", _("Bought")), ("booked", _("At order time")),
                       ("gain", _("Gain or loss"))], data["fx"], key="id")  # fmt: skip
            for title, columns, key in (
                (_("Payments by method and currency"),
                 [("store", _("Store")), ("method", _("Method")), ("count", _("Count")),
                  ("amount", _("Amount"))], "payments"),
                (_("Platform fees by type"),
                 [("store", _("Store")), ("kind", _("Kind")), ("count", _("Count")),
                  ("amount", _("Amount"))], "fees"),
                (_("Receivables ageing (days)"),
                 [("kind", _("Kind")), ("currency", _("Currency")), ("0-30", "0-30"),
                  ("31-60", "31-60"), ("61-90", "61-90"), ("90+", "90+")], "ageing"),
                (_("Export tax rebate cases"),
                 [("declaration_no", _("Declaration no.")), ("hs_code", _("HS code")),
                  ("fob", _("FOB")), ("rebate", _("Rebate")), ("deadline", _("Deadline")),
                  ("status", _("Status"))], "rebates"),
            ):  # fmt: skip
                with ui.card().classes("so-card w-full p-0").props("flat"):
                    ui.label(title).classes("text-sm font-semibold px-4 pt-3")
                    table(columns, data[key], key="id")
            _declaration_form(request, _)
            checks = data["payouts"]
            off = [c for c in checks if c.difference]
            ui.label(
                _("{count} payouts checked against their records; {off} differ.").format(
                    count=len(checks), off=len(off)
                )
            ).classes("text-sm so-reconciliation")
        return None
