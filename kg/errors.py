"""Errors PolicyKG reports to users: each names the file and the problem."""

from __future__ import annotations

from pathlib import Path


class PolicyKGError(Exception):
    """A problem with user input that the CLI reports in one line, without a traceback."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class DocumentError(PolicyKGError):
    """A single document cannot be read or parsed; other documents go on."""


class UsageError(PolicyKGError):
    """The command line names something that is not there (a missing path): exit code 2."""
