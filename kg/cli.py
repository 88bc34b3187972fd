"""The ``policykg`` command: a thin click layer over the importable API.

Each command parses its options and calls one function of the package; heavy
modules are imported inside the command so ``policykg --help`` stays fast.
Errors about user input are ``PolicyKGError``: printed in one line naming the
file, exit code 1 (2 for usage errors), never a traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from kg import __version__
from kg.errors import PolicyKGError

DEFAULT_STORE = Path("policykg-data")
DEFAULT_SITE = Path("policykg-site")

EXAMPLES = """
\b
Examples:
  policykg build                        # the bundled sample corpus → ./policykg-data and ./policykg-site
  policykg build docs/ --store kg.db    # your own folder of documents
  policykg parse corpus/000.txt --format text
  policykg extract notice.html --format json
  policykg query --list
  policykg query measures-by-agency -p agency=厦门市财政局
  policykg serve --port 8000
"""


@click.group(epilog=EXAMPLES)
@click.version_option(__version__, prog_name="policykg")
def cli() -> None:
    """PolicyKG turns Chinese government policy documents into a knowledge graph,
    named SPARQL queries and a browsable static site."""


# --- shared options -------------------------------------------------------

def store_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_STORE,
        show_default=True,
        help="Oxigraph store folder.",
    )(fn)


def format_option(*choices: str, default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
            help="Output format.",
        )(fn)
    return decorate


def paths_argument(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(fn)


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn PolicyKGError into a one-line message and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PolicyKGError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)

    return wrapper


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)
