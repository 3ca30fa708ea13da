"""Status flows and choices of the market domain."""

from __future__ import annotations

from enum import StrEnum

from storeops.errors import IllegalTransition


class RuleCategory(StrEnum):
    """2.3.1 The kinds of platform rule the standard names (总则、经营、产品合规、交易、违规处罚)."""

    GENERAL = "general"
    OPERATION = "operation"
    PRODUCT_COMPLIANCE = "product_compliance"
    TRANSACTION = "transaction"
    PENALTY = "penalty"


class Comparator(StrEnum):
    """How a measured value must compare with a rule's threshold to comply."""

    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"


class HealthMetric(StrEnum):
    """Store metrics storeops measures against platform thresholds (account health)."""

    ORDER_DEFECT_RATE = "order_defect_rate"
    LATE_SHIPMENT_RATE = "late_shipment_rate"
    PRE_FULFILMENT_CANCEL_RATE = "pre_fulfilment_cancel_rate"
    VALID_TRACKING_RATE = "valid_tracking_rate"
    RESPONSE_WITHIN_24H_RATE = "response_within_24h_rate"
    NON_FULFILMENT_RATE = "non_fulfilment_rate"
    LATE_DELIVERY_RATE = "late_delivery_rate"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DISMISSED = "dismissed"


FOLLOW_UP_TRANSITIONS: dict[FollowUpStatus, frozenset[FollowUpStatus]] = {
    FollowUpStatus.OPEN: frozenset(
        {FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.DISMISSED}
    ),
    FollowUpStatus.IN_PROGRESS: frozenset({FollowUpStatus.DONE, FollowUpStatus.DISMISSED}),
    FollowUpStatus.DONE: frozenset(),
    FollowUpStatus.DISMISSED: frozenset(),
}


def follow_up_transition(current: FollowUpStatus, target: FollowUpStatus) -> FollowUpStatus:
    """``target`` if a follow-up task may move there; ``IllegalTransition`` otherwise."""
    if target not in FOLLOW_UP_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in FOLLOW_UP_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} follow-up task cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class CompanyType(StrEnum):
    """1.2.2 Who opens the store: the platforms ask different documents of each."""

    MAINLAND_CHINA_COMPANY = "mainland_china_company"
    HONG_KONG_COMPANY = "hong_kong_company"
    OVERSEAS_COMPANY = "overseas_company"
    INDIVIDUAL = "individual"


class OnboardingItemKind(StrEnum):
    DOCUMENT = "document"
    CERTIFICATE = "certificate"
    BANK_ACCOUNT = "bank_account"
    PAYMENT_ACCOUNT = "payment_account"
    TRADEMARK = "trademark"
    PLATFORM_REQUIREMENT = "platform_requirement"


class OnboardingStatus(StrEnum):
    MISSING = "missing"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


ONBOARDING_TRANSITIONS: dict[OnboardingStatus, frozenset[OnboardingStatus]] = {
    OnboardingStatus.MISSING: frozenset({OnboardingStatus.IN_PROGRESS, OnboardingStatus.SUBMITTED}),
    OnboardingStatus.IN_PROGRESS: frozenset({OnboardingStatus.SUBMITTED, OnboardingStatus.MISSING}),
    OnboardingStatus.SUBMITTED: frozenset({OnboardingStatus.APPROVED, OnboardingStatus.REJECTED}),
    OnboardingStatus.APPROVED: frozenset({OnboardingStatus.IN_PROGRESS}),  # renewal
    OnboardingStatus.REJECTED: frozenset(
        {OnboardingStatus.IN_PROGRESS, OnboardingStatus.SUBMITTED}
    ),
}


def onboarding_transition(current: OnboardingStatus, target: OnboardingStatus) -> OnboardingStatus:
    """``target`` if an onboarding item may move there; ``IllegalTransition`` otherwise."""
    if target not in ONBOARDING_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in ONBOARDING_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} onboarding item cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class IpKind(StrEnum):
    TRADEMARK = "trademark"
    PATENT = "patent"


class IpStatus(StrEnum):
    FILED = "filed"
    REGISTERED = "registered"
    OPPOSED = "opposed"
    LAPSED = "lapsed"


class PlanItemStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    IN_DEVELOPMENT = "in_development"
    LAUNCHED = "launched"
    DROPPED = "dropped"


PLAN_ITEM_TRANSITIONS: dict[PlanItemStatus, frozenset[PlanItemStatus]] = {
    PlanItemStatus.PROPOSED: frozenset({PlanItemStatus.ACCEPTED, PlanItemStatus.DROPPED}),
    PlanItemStatus.ACCEPTED: frozenset({PlanItemStatus.IN_DEVELOPMENT, PlanItemStatus.DROPPED}),
    PlanItemStatus.IN_DEVELOPMENT: frozenset({PlanItemStatus.LAUNCHED, PlanItemStatus.DROPPED}),
    PlanItemStatus.LAUNCHED: frozenset(),
    PlanItemStatus.DROPPED: frozenset(),
}


def plan_item_transition(current: PlanItemStatus, target: PlanItemStatus) -> PlanItemStatus:
    """``target`` if a plan item may move there; ``IllegalTransition`` otherwise."""
    if target not in PLAN_ITEM_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in PLAN_ITEM_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} plan item cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target
