"""``/finance``: balances, FX settlement with the individual quota, FX gain/loss, profit per store
and the payout reconciliation (stage 9.3). Nothing is shown to roles without ``finance.read``."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from nicegui import ui
from sqlalchemy.orm import Session

from storeops.auth.enums import Permission
from storeops.auth.scoping import Actor
from storeops.finance import fx, profit
from storeops.types import Money
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


def register() -> None:
    """Add the finance page."""

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
            checks = data["payouts"]
            off = [c for c in checks if c.difference]
            ui.label(
                _("{count} payouts checked against their records; {off} differ.").format(
                    count=len(checks), off=len(off)
                )
            ).classes("text-sm so-reconciliation")
        return None
