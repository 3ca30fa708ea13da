"""Errors of the staff domain."""

from __future__ import annotations

from storeops.errors import Conflict


class DuplicateCourse(Conflict):
    code = "duplicate_course"
