"""``/market/onboarding``: 1.2.2 onboarding checklists per platform and company type (status,
expiry, readiness) and the 2.1.2 / 2.2.2 security review of a store's accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request, Response
from nicegui import ui

from storeops.auth.enums import Permission
from storeops.errors import DomainError
from storeops.market import brand, onboarding, platforms, security
from storeops.market.enums import (
    ONBOARDING_TRANSITIONS,
    CompanyType,
    IpKind,
    IpStatus,
    OnboardingStatus,
)
from storeops.market.schemas import (
    BrandRead,
    BrandWrite,
    ChecklistCreate,
    ChecklistRead,
    IpRightWrite,
    OnboardingItemUpdate,
    SecurityRecordWrite,
    SecurityReviewRead,
)
from storeops.web.access import declare_page
from storeops.web.context import ConsoleContext
from storeops.web.labels import N_, Translate, label
from storeops.web.layout import frame, heading, open_console
from storeops.web.pages.market_common import as_actor, attempt

COMPANY_TYPE_LABELS = {
    CompanyType.MAINLAND_CHINA_COMPANY.value: N_("Mainland China company"),
    CompanyType.HONG_KONG_COMPANY.value: N_("Hong Kong company"),
    CompanyType.OVERSEAS_COMPANY.value: N_("Overseas company"),
    CompanyType.INDIVIDUAL.value: N_("Individual"),
}
ITEM_STATUS_LABELS = {
    "missing": N_("Missing"),
    "in_progress": N_("In progress"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
FLAG_LABELS = {
    "expired": N_("Expired"),
    "expiring_soon": N_("Expires within 30 days"),
    "required_open": N_("Required, not approved"),
    "rejected": N_("Rejected"),
}


def _checklist(request: Request, _: Translate, checklist: ChecklistRead, can_manage: bool) -> None:
    state = (
        _("Ready")
        if checklist.ready
        else _("{open} required open, {expired} expired").format(
            open=checklist.required_open, expired=checklist.expired
        )
    )
    title = _("{platform} · {type} · {state}").format(
        platform=checklist.platform,
        type=label(COMPANY_TYPE_LABELS, checklist.company_type.value, _),
        state=state,
    )
    with ui.expansion(title, value=True).classes("w-full so-card so-checklist"):
        for item in checklist.items:
            with ui.row().classes("w-full items-center gap-3 no-wrap so-item"):
                ui.label(item.title).classes("text-sm grow")
                for flag in item.flags:
                    ui.badge(
                        label(FLAG_LABELS, flag, _),
                        color="negative" if flag == "expired" else "amber-8",
                    ).props("outline")
                if can_manage:
                    options = {item.status.value: label(ITEM_STATUS_LABELS, item.status.value, _)}
                    options.update(
                        {
                            s.value: label(ITEM_STATUS_LABELS, s.value, _)
                            for s in ONBOARDING_TRANSITIONS[item.status]
                        }
                    )

                    async def move(
                        event: Any, item_id: int = item.id, current: str = item.status.value
                    ) -> None:
                        if event.value == current:
                            return
                        done = await attempt(
                            request,
                            _,
                            onboarding.update_item,
                            item_id=item_id,
                            data=OnboardingItemUpdate(status=OnboardingStatus(event.value)),
                        )
                        if done is not None:
                            ui.navigate.reload()

                    ui.select(options, value=item.status.value, on_change=move).props(
                        "dense outlined options-dense"
                    ).classes("w-36 so-item-status")

                    async def expire(event: Any, item_id: int = item.id) -> None:
                        try:
                            day = dt.date.fromisoformat(event.value) if event.value else None
                        except ValueError:
                            return
                        if (
                            day
                            and await attempt(
                                request,
                                _,
                                onboarding.update_item,
                                item_id=item_id,
                                data=OnboardingItemUpdate(expires_on=day),
                            )
                            is not None
                        ):
                            ui.navigate.reload()

                    box = (
                        ui.input(
                            _("Expires on"),
                            value=item.expires_on.isoformat() if item.expires_on else "",
                        )
                        .props("dense outlined type=date")
                        .classes("w-40 so-item-expiry")
                    )
                    box.on("blur", lambda _e, f=expire, b=box: f(b))
                else:
                    ui.label(label(ITEM_STATUS_LABELS, item.status.value, _)).classes("text-xs")


def _security(request: Request, _: Translate, review: SecurityReviewRead, can_manage: bool) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(_("Account security review (2.1.2 / 2.2.2)")).classes("text-sm font-semibold")
        if not review.accounts:
            ui.label(_("No accounts recorded for this store.")).classes("text-xs so-muted")
        for finding in review.store_findings:
            ui.label(finding).classes("text-xs text-negative")
        for account in review.accounts:
            with ui.row().classes("w-full items-start gap-3 no-wrap so-account"):
                ui.badge(
                    _("Weak") if account.weak else _("OK"),
                    color="negative" if account.weak else "positive",
                )
                with ui.column().classes("gap-0 grow"):
                    ui.label(f"{account.login} ({account.kind})").classes("text-sm")
                    ui.label("; ".join(account.findings) or _("No findings")).classes(
                        "text-xs so-muted so-findings"
                    )
                if can_manage:
                    two_fa = ui.checkbox(_("2FA on"), value=bool(account.two_factor_enabled))
                    payment = ui.checkbox(
                        _("Payout account set"), value=bool(account.payment_account_set)
                    )
                    changed = (
                        ui.input(
                            _("Password changed on"),
                            value=account.password_changed_on.isoformat()
                            if account.password_changed_on
                            else "",
                        )
                        .props("dense outlined type=date")
                        .classes("w-40")
                    )
                    perms = (
                        ui.input(
                            _("Permissions (comma-separated)"), value=", ".join(account.permissions)
                        )
                        .props("dense outlined")
                        .classes("w-48")
                    )

                    async def save(
                        account_id: int = account.account_id,
                        two_fa: Any = two_fa,
                        payment: Any = payment,
                        changed: Any = changed,
                        perms: Any = perms,
                    ) -> None:
                        try:
                            day = dt.date.fromisoformat(changed.value) if changed.value else None
                        except ValueError:
                            ui.notify(
                                _("Not a date: {value}").format(value=changed.value),
                                type="negative",
                            )
                            return
                        data = SecurityRecordWrite(
                            two_factor_enabled=bool(two_fa.value),
                            payment_account_set=bool(payment.value),
                            password_changed_on=day,
                            permissions=[p for p in (perms.value or "").split(",") if p.strip()],
                        )
                        if (
                            await attempt(
                                request,
                                _,
                                security.record_account_security,
                                account_id=account_id,
                                data=data,
                            )
                            is not None
                        ):
                            ui.navigate.reload()

                    ui.button(_("Record"), on_click=save).props("dense flat no-caps color=primary")


def _brands(request: Request, _: Translate, brands: list[BrandRead], can_manage: bool) -> None:
    with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
        ui.label(_("Brands and intellectual property (1.1.6)")).classes("text-sm font-semibold")
        for b in brands:
            with ui.column().classes("gap-0 so-brand"):
                ui.label(f"{b.brand} · {', '.join(b.target_markets) or '—'}").classes(
                    "text-sm font-medium"
                )
                ui.label(b.core_concept or "—").classes("text-xs")
                rights = "; ".join(
                    f"{r.kind.value} {r.number} {r.territory} {r.status.value}"
                    + (f" → {r.expires_on}" if r.expires_on else "")
                    for r in b.ip_rights
                )
                ui.label(rights or _("No trademarks or patents recorded")).classes(
                    "text-xs so-muted"
                )
                for finding in b.findings:
                    ui.label(finding).classes("text-xs text-negative so-brand-finding")
        if not can_manage:
            return
        with ui.row().classes("gap-2 items-end"):
            name = ui.input(_("Brand")).props("dense outlined").classes("w-40 so-brand-name")
            concept = ui.input(_("Core concept")).props("dense outlined").classes("w-72")
            markets = (
                ui.input(_("Target markets (comma-separated)"))
                .props("dense outlined")
                .classes("w-56 so-brand-markets")
            )

            async def save() -> None:
                data = BrandWrite(
                    brand=name.value or " ",
                    core_concept=concept.value or "",
                    target_markets=[
                        m.strip() for m in (markets.value or "").split(",") if m.strip()
                    ],
                )
                if await attempt(request, _, brand.save_brand, data=data) is not None:
                    ui.navigate.reload()

            ui.button(_("Save brand"), on_click=save).props(
                "dense unelevated no-caps color=primary"
            ).classes("so-save-brand")
        if brands:
            with ui.row().classes("gap-2 items-end"):
                which = (
                    ui.select({b.id: b.brand for b in brands}, value=brands[0].id, label=_("Brand"))
                    .props("dense outlined")
                    .classes("w-40")
                )
                kind = (
                    ui.select(
                        {k.value: k.value for k in IpKind},
                        value=IpKind.TRADEMARK.value,
                        label=_("Kind"),
                    )
                    .props("dense outlined")
                    .classes("w-32")
                )
                number = ui.input(_("Number")).props("dense outlined").classes("w-36 so-ip-number")
                territory = (
                    ui.input(_("Territory"), value="US")
                    .props("dense outlined")
                    .classes("w-24 so-ip-territory")
                )
                state = (
                    ui.select(
                        {s.value: s.value for s in IpStatus},
                        value=IpStatus.REGISTERED.value,
                        label=_("Status"),
                    )
                    .props("dense outlined")
                    .classes("w-32")
                )
                expires = (
                    ui.input(_("Expires on")).props("dense outlined type=date").classes("w-40")
                )

                async def add() -> None:
                    try:
                        day = dt.date.fromisoformat(expires.value) if expires.value else None
                        data = IpRightWrite(kind=IpKind(kind.value), title=number.value or "-", number=number.value or "",
                                            territory=territory.value or "", status=IpStatus(state.value), expires_on=day)  # fmt: skip
                    except ValueError as exc:
                        ui.notify(
                            _("Not done: {message}").format(message=str(exc).splitlines()[0]),
                            type="negative",
                        )
                        return
                    if (
                        await attempt(
                            request, _, brand.add_ip_right, brand_id=which.value, data=data
                        )
                        is not None
                    ):
                        ui.navigate.reload()

                ui.button(_("Add right"), on_click=add).props(
                    "dense unelevated no-caps color=primary"
                ).classes("so-add-ip")


def _load(session: Any, *, actor: Any, store_id: int | None) -> dict[str, Any]:
    review = None
    if store_id is not None and actor.can(Permission.ACCOUNT_READ):
        review = security.security_review(session, store_id=store_id, actor=actor)
    return {
        "checklists": onboarding.list_checklists(session, actor=actor),
        "brands": brand.list_brands(session, actor=actor),
        "platforms": [
            (p.platform, str(p.facts["name"]))
            for p in platforms.list_profiles(session, actor=actor)
        ],
        "review": review,
        "can_manage": actor.can(Permission.MARKET_MANAGE),
        "can_secure": actor.can(Permission.ACCOUNT_MANAGE),
    }


async def _page(request: Request, ctx: ConsoleContext, store: str | None) -> None:
    _ = ctx.translate
    store_id = (
        int(store)
        if store and store.isdigit()
        else (ctx.store_id or (ctx.stores[0].id if ctx.stores else None))
    )
    heading(
        _("Onboarding and account security"),
        _(
            "1.2.2 onboarding checklists per platform and company type; 1.1.6 brands and their trademarks and patents; 2.1.2 / 2.2.2 account security review"
        ),
    )
    try:
        data = await as_actor(request, _load, store_id=store_id)
    except DomainError as exc:
        ui.label(exc.message).classes("text-negative")
        return
    if data["can_manage"]:
        with ui.card().classes("so-card w-full p-4 gap-2").props("flat"):
            ui.label(_("Start an onboarding checklist (1.2.2)")).classes("text-sm font-semibold")
            with ui.row().classes("gap-2 items-end"):
                platform = (
                    ui.select(dict(data["platforms"]), value="amazon", label=_("Platform"))
                    .props("dense outlined")
                    .classes("w-56")
                )
                kind = (
                    ui.select(
                        {k: _(v) for k, v in COMPANY_TYPE_LABELS.items()},
                        value=CompanyType.MAINLAND_CHINA_COMPANY.value,
                        label=_("Company type"),
                    )
                    .props("dense outlined")
                    .classes("w-56")
                )

                async def start() -> None:
                    done = await attempt(
                        request,
                        _,
                        onboarding.start_checklist,
                        data=ChecklistCreate(
                            platform=platform.value, company_type=CompanyType(kind.value)
                        ),
                    )
                    if done is not None:
                        ui.navigate.reload()

                ui.button(_("Start checklist"), on_click=start).props(
                    "dense unelevated no-caps color=primary"
                ).classes("so-start-checklist")
    for checklist in data["checklists"]:
        _checklist(request, _, checklist, data["can_manage"])
    _brands(request, _, data["brands"], data["can_manage"])
    if ctx.stores:
        ui.select(
            {s.id: s.name for s in ctx.stores},
            value=store_id,
            label=_("Store"),
            on_change=lambda e: ui.navigate.to(f"/market/onboarding?store={e.value}"),
        ).props("dense outlined").classes("w-72")
    if data["review"] is not None:
        _security(request, _, data["review"], data["can_secure"])


def register() -> None:
    """Add the onboarding page."""

    declare_page("/market/onboarding", Permission.MARKET_READ)

    @ui.page("/market/onboarding")
    async def onboarding_page(request: Request, store: str | None = None) -> Response | None:
        opened = await open_console(request)
        if isinstance(opened, Response):
            return opened
        ctx = opened
        _ = ctx.translate
        with frame(request, ctx, active="onboarding", title=_("Onboarding and account security")):
            await _page(request, ctx, store)
        return None
