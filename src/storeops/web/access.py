"""Which permission each console page requires: declared once per page, checked on every request.

Every NiceGUI page of the console declares what it needs, next to its ``@ui.page``::

    declare_page("/orders", Permission.ORDERS_READ)

``open_console`` (``web.layout``) looks the page's route up here on every request and refuses a
role that lacks the permission. A page that declared nothing is refused to everyone (deny by
default), and ``tests/security/test_access_matrix.py`` fails for it, so a page added later without
a declaration is caught before it ships. ``ANY_MEMBER`` is the explicit declaration of a page that
any signed-in user may open (the home page, which also greets users without a company).
"""

from __future__ import annotations

from typing import Final

from storeops.auth.enums import ROLE_PERMISSIONS, Permission, Role


class _AnyMember:
    """The declaration of a page that every signed-in user may open."""

    def __repr__(self) -> str:
        return "ANY_MEMBER"


ANY_MEMBER: Final = _AnyMember()

#: Pages served without a session (plain HTML routes of ``web.auth_routes``).
PUBLIC_PAGES: Final = frozenset({"/login", "/logout"})

_declared: dict[str, Permission | _AnyMember] = {}


def declare_page(path: str, permission: Permission | _AnyMember) -> None:
    """Declare the permission the console page at ``path`` (its route template) requires."""
    earlier = _declared.get(path)
    if earlier is not None and earlier != permission:
        raise ValueError(f"page {path} is declared twice: {earlier!r} and {permission!r}")
    _declared[path] = permission


def declared_pages() -> dict[str, Permission | _AnyMember]:
    """Every declared page with its permission (a copy)."""
    return dict(_declared)


def page_allowed(path: str, role: Role | None) -> bool:
    """Whether ``role`` (``None``: a user without a company) may open the page at ``path``."""
    needed = _declared.get(path)
    if needed is None:
        return False  # undeclared: refused to everyone
    if needed is ANY_MEMBER:
        return True
    return role is not None and needed in ROLE_PERMISSIONS[role]
