"""Order, quote, refund and dispute statuses with their transition tables."""

from __future__ import annotations

from enum import StrEnum

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
