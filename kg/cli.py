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
from kg.errors import PolicyKGError, UsageError

DEFAULT_STORE = Path("policykg-data")
DEFAULT_SITE = Path("policykg-site")

EXAMPLES = """
\b
Examples:
  policykg build                        # the bundled sample corpus → ./policykg-data and ./policykg-site
  policykg build docs/ --store kg.db    # your own folder of documents
  policykg parse corpus/documents/000_baf51a30e025ba03.txt --format text
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
            sys.exit(2 if isinstance(error, UsageError) else 1)

    return wrapper


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def shard_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--shard I/N``: only the documents of shard I (from 0) of N, by a stable hash of each path."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
        if value is None:
            return None
        from kg.shard import parse_shard

        try:
            return parse_shard(value)
        except PolicyKGError as error:
            raise click.BadParameter(str(error)) from None

    return click.option(
        "--shard", metavar="I/N", default=None, callback=parse,
        help="Process only shard I of N (I from 0): a stable hash of each document's path "
             "relative to its folder argument, so N machines can split a corpus.",
    )(fn)


def select_shard_paths(paths: tuple[Path, ...], shard: tuple[int, int] | None) -> tuple[Path, ...] | None:
    """The documents of ``paths`` (or the bundled corpus) in ``shard``; ``paths`` unchanged without one."""
    if shard is None:
        return paths
    from kg.resources import default_corpus
    from kg.shard import shard_documents

    selected = tuple(shard_documents(list(paths) or [default_corpus()], *shard, warn))
    if not selected:
        warn(f"shard {shard[0]}/{shard[1]} holds none of the documents")
        return None
    return selected


# --- reading and structure (kg.readers, kg.structure) -----------------------

@cli.command("parse")
@paths_argument
@format_option("text", "json", default="text")
@reports_errors
def parse_command(paths: tuple[Path, ...], fmt: str) -> None:
    """Print the header and numbered structure of documents (files or folders; default: the bundled corpus)."""
    from kg.structure import parse_paths

    click.echo(parse_paths(paths, fmt, warn))


# --- queries, endpoint, push (kg.queries, kg.serve, kg.push) ---------------

def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PolicyKGError(f"parameter {pair!r} is not key=value")
        params[name.strip()] = value
    return params


@cli.command("query")
@click.argument("name", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the named queries with their parameters.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@format_option("table", "csv", "tsv", "json", default="table")
@store_option
@reports_errors
def query_command(name: str | None, list_only: bool, params: tuple[str, ...], fmt: str, store: Path) -> None:
    """Run a named query from the library (queries/*.rq), or list them with --list."""
    from kg import queries

    if list_only or not name:
        click.echo(queries.describe_library(), nl=False)
        return
    named = queries.get_query(name)
    answer = queries.run_query(queries.open_store(store), named, _parse_params(params))
    click.echo(answer.format(fmt), nl=False)


@cli.command("sparql")
@click.argument("query")
@format_option("table", "csv", "tsv", "json", default="table")
@store_option
@reports_errors
def sparql_command(query: str, fmt: str, store: Path) -> None:
    """Run any read-only SPARQL query (text or a .rq file) on the union of all graphs."""
    from kg import queries

    text = query
    if len(query) < 4096 and "{" not in query and Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    answer = queries.run_sparql(queries.open_store(store), text)
    click.echo(queries.format_answer(answer, fmt), nl=False)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SITE, show_default=True,
              help="Static site folder served at /.")
@store_option
@reports_errors
def serve_command(host: str, port: int, site: Path, store: Path) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql and the static site at /."""
    from kg import serve

    serve.serve_forever(store, site, host=host, port=port, announce=click.echo)


@cli.command("push")
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:7878/store.")
@click.option("--auth", default=None, metavar="USER:PASS", help="HTTP basic authentication.")
@click.option("--force", is_flag=True, help="Send every graph, even those pushed unchanged before.")
@click.option("--prune", is_flag=True, help="Delete remote graphs pushed before whose documents are gone.")
@store_option
@reports_errors
def push_command(endpoint: str, auth: str | None, force: bool, prune: bool, store: Path) -> None:
    """Write each document's named graph to a SPARQL 1.1 Graph Store HTTP Protocol server."""
    from kg import push

    report = push.push_store(store, endpoint, auth=auth, force=force, prune=prune)
    for line in report.lines():
        click.echo(line)
    if report.failed:
        sys.exit(1)


@cli.command("site")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SITE, show_default=True,
              help="Folder to write the site into (replaced as a whole).")
@click.option("--base-url", default="/", show_default=True,
              help="Where the site will be published, e.g. https://w3id.org/policykg/ (for canonical links).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of templates overriding the bundled ones by name.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@store_option
@reports_errors
def site_command(out: Path, base_url: str, templates: Path | None, no_search: bool, store: Path) -> None:
    """Generate the static site (documents, measures, agencies, money, deadlines, search) from the store."""
    from kg.site import generate_site

    summary = generate_site(store, out, base_url=base_url, templates_dir=templates, search_index=not no_search)
    click.echo(f"site: {summary}")


# --- the graph: build, validate, export (kg.build, kg.validate, kg.export) ---

@cli.command("build")
@paths_argument
@store_option
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SITE,
              show_default=True, help="Folder to write the static site into after the graph.")
@click.option("--no-site", is_flag=True, help="Build the graph only.")
@click.option("--base-url", default="/", show_default=True, help="Where the site will be published.")
@click.option("--prune", is_flag=True, help="Drop the graphs of documents no longer under PATHS.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--shacl-engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="SHACL engine: the built-in checks of ontology/shapes.ttl (same results) or pyshacl.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes (documents are processed in parallel).")
@shard_option
@reports_errors
def build_command(paths: tuple[Path, ...], store: Path, site_dir: Path, no_site: bool, base_url: str,
                  prune: bool, no_validate: bool, shacl_engine: str, workers: int,
                  shard: tuple[int, int] | None = None) -> None:
    """Build the knowledge graph of PATHS (default: the bundled sample corpus) into the store,
    then the site. Unchanged documents are skipped; changed ones replace their own graph."""
    from kg.build import run_build

    code = run_build(paths, store, site_dir=None if no_site else site_dir, base_url=base_url, prune=prune,
                     validate=not no_validate, workers=workers, shard=shard, engine=shacl_engine,
                     echo=click.echo, warn=warn)
    sys.exit(code)


@cli.command("validate")
@click.option("--graph", default=None, help="Validate only this named graph (IRI).")
@click.option("--shacl-engine", type=click.Choice(["pyshacl", "fast"]), default="pyshacl", show_default=True,
              help="SHACL engine: pyshacl, or the built-in checks of ontology/shapes.ttl (same results, quicker).")
@store_option
@reports_errors
def validate_command(graph: str | None, shacl_engine: str, store: Path) -> None:
    """Check the store against the SHACL shapes; print each violation (focus node, path, message)."""
    from kg.validate import validate_store_dir

    report = validate_store_dir(store, graph, engine=shacl_engine)
    click.echo(report.describe())
    sys.exit(0 if report.conforms else 1)


@cli.command("export")
@format_option("ttl", "nt", "nq", "trig", "jsonld", default="nq")
@click.option("--graph", default=None, help="Export only this named graph (IRI).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write (default: stdout).")
@click.option("--void", "void", is_flag=True, help="Write the VoID/DCAT description of the dataset instead.")
@store_option
@reports_errors
def export_command(fmt: str, graph: str | None, out: Path | None, void: bool, store: Path) -> None:
    """Dump the store (or one graph) as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""
    from kg.export import export_store

    data = export_store(store, fmt, graph=graph, out=out, void=void)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


# --- extraction and its evaluation (extract.pipeline, extract.eval) ----------

@cli.command("extract")
@paths_argument
@format_option("json", "text", default="json")
@shard_option
@reports_errors
def extract_command(paths: tuple[Path, ...], fmt: str, shard: tuple[int, int] | None = None) -> None:
    """Print the extraction record of each document (one JSON object, or a list for several)."""
    from extract.pipeline import extract_paths

    selected = select_shard_paths(paths, shard)
    if selected is None:
        click.echo("[]" if fmt == "json" else "")
        return
    click.echo(extract_paths(selected, fmt, warn))


@cli.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding the documents the gold files name (default: the bundled corpus).")
@click.option("--errors", "show_errors", is_flag=True, help="List false positives and false negatives.")
@format_option("text", "json", default="text")
@reports_errors
def eval_command(gold: tuple[Path, ...], corpus: Path | None, show_errors: bool, fmt: str) -> None:
    """Precision, recall and F1 of the extractors per entity type and document against GOLD files."""
    from extract.eval import evaluate_command

    click.echo(evaluate_command(gold, corpus, fmt, show_errors))


# --- links to other datasets (kg.linksets) ---------------------------------

@cli.command("linksets")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@reports_errors
def linksets_command(out: Path) -> None:
    """Write the owl:sameAs / skos:*Match linksets of the reference data (places → Wikidata,
    industries → GB/T 4754-2017 and the 2018 strategic emerging industries) as Turtle files in OUT."""
    from kg.linksets import write_linksets

    for path in write_linksets(out):
        click.echo(str(path))


@cli.command("links")
@store_option
@reports_errors
def links_command(store: Path) -> None:
    """Recompute the links between documents in the store (citations resolved to corpus
    documents, task tables → the policies they implement, lead officials → industries)."""
    from kg.links import describe, link_store_folder

    click.echo(describe(link_store_folder(store)))
