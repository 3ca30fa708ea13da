"""Order, quote, refund and dispute statuses with their transition tables."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from storeops.errors import IllegalTransition


class OrderStatus(StrEnum):
    DRAFT = "draft"  # 6.1.6 起草订单: B2B order drafted, not yet paid
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


def order_transition(current: OrderStatus, target: OrderStatus) -> OrderStatus:
    """``target`` if an order may move there from ``current``; ``IllegalTransition`` otherwise."""
    if target not in ORDER_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in ORDER_TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"a {current.value} order cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


class OrderKind(StrEnum):
    RETAIL = "retail"  # B2C
    SAMPLE = "sample"  # 8.1.1 样品单
    TRADE_ASSURANCE = "trade_assurance"  # 8.2.1 信保订单
    WHOLESALE = "wholesale"  # B2B order outside Trade Assurance


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    APPROVED = "approved"  # 6.1.8 审核通过报价
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


class RefundStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class DisputeStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"  # 6.1.7 纠纷升级
    ARBITRATED = "arbitrated"  # 6.1.7 纠纷升级仲裁
    CLOSED = "closed"


def _move(table: dict[Any, frozenset[Any]], current: Any, target: Any, what: str) -> Any:
    if target not in table[current]:
        allowed = ", ".join(sorted(s.value for s in table[current])) or "none"
        article = "an" if current.value[0] in "aeiou" else "a"
        raise IllegalTransition(
            f"{article} {current.value} {what} cannot become {target.value} (allowed: {allowed})",
            field="status",
        )
    return target


REFUND_TRANSITIONS: dict[RefundStatus, frozenset[RefundStatus]] = {
    RefundStatus.REQUESTED: frozenset({RefundStatus.APPROVED, RefundStatus.REJECTED}),
    RefundStatus.APPROVED: frozenset(),
    RefundStatus.REJECTED: frozenset(),
}


def refund_transition(current: RefundStatus, target: RefundStatus) -> RefundStatus:
    """``target`` if a refund request may move there; ``IllegalTransition`` otherwise."""
    result: RefundStatus = _move(REFUND_TRANSITIONS, current, target, "refund request")
    return result


DISPUTE_TRANSITIONS: dict[DisputeStatus, frozenset[DisputeStatus]] = {
    DisputeStatus.OPEN: frozenset({DisputeStatus.ESCALATED, DisputeStatus.CLOSED}),
    DisputeStatus.ESCALATED: frozenset({DisputeStatus.ARBITRATED, DisputeStatus.CLOSED}),
    DisputeStatus.ARBITRATED: frozenset({DisputeStatus.CLOSED}),
    DisputeStatus.CLOSED: frozenset(),
}


def dispute_transition(current: DisputeStatus, target: DisputeStatus) -> DisputeStatus:
    """``target`` if a dispute may move there; ``IllegalTransition`` otherwise."""
    result: DisputeStatus = _move(DISPUTE_TRANSITIONS, current, target, "dispute")
    return result


class AfterSalesKind(StrEnum):
    """8.3.3 What the buyer asks for."""

    RETURN = "return"  # return the goods for a refund
    REFUND = "refund"  # money back without a return
    REPLACEMENT = "replacement"
    PARTIAL_REFUND = "partial_refund"


class AfterSalesStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"


AFTER_SALES_TRANSITIONS: dict[AfterSalesStatus, frozenset[AfterSalesStatus]] = {
    AfterSalesStatus.OPEN: frozenset({AfterSalesStatus.ACCEPTED, AfterSalesStatus.REJECTED}),
    AfterSalesStatus.ACCEPTED: frozenset({AfterSalesStatus.COMPLETED}),
    AfterSalesStatus.REJECTED: frozenset(),
    AfterSalesStatus.COMPLETED: frozenset(),
}


def after_sales_transition(current: AfterSalesStatus, target: AfterSalesStatus) -> AfterSalesStatus:
    """``target`` if an after-sales case may move there; ``IllegalTransition`` otherwise."""
    result: AfterSalesStatus = _move(AFTER_SALES_TRANSITIONS, current, target, "after-sales case")
    return result


class ContractStatus(StrEnum):
    """8.1.6 Signature status of an online contract."""

    DRAFT = "draft"
    SENT = "sent"  # sent to the buyer for signature
    BUYER_SIGNED = "buyer_signed"
    SIGNED = "signed"  # both parties
    VOID = "void"


CONTRACT_TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.SENT, ContractStatus.VOID}),
    ContractStatus.SENT: frozenset(
        {ContractStatus.BUYER_SIGNED, ContractStatus.DRAFT, ContractStatus.VOID}
    ),
    ContractStatus.BUYER_SIGNED: frozenset({ContractStatus.SIGNED, ContractStatus.VOID}),
    ContractStatus.SIGNED: frozenset(),
    ContractStatus.VOID: frozenset(),
}


def contract_transition(current: ContractStatus, target: ContractStatus) -> ContractStatus:
    """``target`` if a contract may move there; ``IllegalTransition`` otherwise."""
    result: ContractStatus = _move(CONTRACT_TRANSITIONS, current, target, "contract")
    return result


class MilestoneStatus(StrEnum):
    """8.2.1 A Trade Assurance milestone."""

    PENDING = "pending"
    DONE = "done"


QUOTE_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    QuoteStatus.DRAFT: frozenset({QuoteStatus.APPROVED, QuoteStatus.SENT}),
    QuoteStatus.APPROVED: frozenset({QuoteStatus.SENT}),
    QuoteStatus.SENT: frozenset({QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED}),
    QuoteStatus.ACCEPTED: frozenset(),
    QuoteStatus.REJECTED: frozenset(),
    QuoteStatus.EXPIRED: frozenset(),
}


def quote_transition(current: QuoteStatus, target: QuoteStatus) -> QuoteStatus:
    """``target`` if a quote may move there; ``IllegalTransition`` otherwise."""
    result: QuoteStatus = _move(QUOTE_TRANSITIONS, current, target, "quote")
    return result
