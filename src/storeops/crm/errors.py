"""Errors of the CRM domain."""

from __future__ import annotations

from storeops.errors import Conflict, DomainError


class DuplicateTemplate(Conflict):
    code = "duplicate_reply_template"


class TemplateNotFound(DomainError):
    code = "reply_template_not_found"
    kind = "not_found"


class AlreadyReplied(Conflict):
    code = "review_already_replied"
