"""Errors of the orders domain."""

from __future__ import annotations

from storeops.errors import Conflict, DomainError


class RefundExceedsPaid(Conflict):
    """Refunds requested or approved would add up to more than the buyer paid."""

    code = "refund_exceeds_paid"


class OrderNotPaid(Conflict):
    code = "order_not_paid"


class OutsideAfterSalesWindow(DomainError):
    code = "outside_after_sales_window"
