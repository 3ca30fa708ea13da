"""Errors of the connectors: a refused file, a rejected import, an unknown report."""

from __future__ import annotations

from storeops.errors import DomainError, NotFound


class FileRefused(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, header, store or marketplace)."""

    code = "import_file_refused"


class ImportRejected(DomainError):
    """Some rows are bad and the import is all-or-nothing: nothing was written."""

    code = "import_rejected"


class UnknownReport(NotFound):
    """No importer for this platform and report."""

    code = "unknown_report"
