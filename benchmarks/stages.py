"""Benchmark workers: one figure each, run in a child process by ``benchmarks.run``.

Each subcommand measures one thing in a fresh process and prints one JSON object
on its last line of output (``{"available": false, "reason": ...}`` when the stage
it measures does not exist in this checkout: such figures are reported as not
available, never estimated). Only the measured work sits inside the timers;
reading inputs that a stage would be handed is done before the clock starts.

    python -m benchmarks.stages tokenise --corpus benchmarks/corpus-100
    python -m benchmarks.stages pipeline --corpus benchmarks/corpus-100 [--shard 0/10]
    python -m benchmarks.stages store --nquads build.nq --workdir DIR
    python -m benchmarks.stages dump --store DIR --out build.nq
    python -m benchmarks.stages validate --store DIR
    python -m benchmarks.stages queries --store DIR [--repeat 5]
    python -m benchmarks.stages rdflib-queries --nquads build.nq [--repeat 3] [--timeout 60]
    python -m benchmarks.stages site --store DIR --out DIR
    python -m benchmarks.stages jinja --pages N --out DIR
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.measure import folder_size, median

HERE = Path(__file__).resolve().parent
ENTITY_QUERIES = HERE / "queries"


class Unavailable(Exception):
    """The stage this figure measures does not exist (yet) in this checkout."""


def find(module_name: str, *names: str) -> Callable[..., Any]:
    """The first attribute of ``module_name`` among ``names``; ``Unavailable`` otherwise."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            raise Unavailable(f"{module_name} does not exist") from None
        raise
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    raise Unavailable(f"{module_name} has none of {', '.join(names)}")


def emit(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str), flush=True)


# --- corpus ---------------------------------------------------------------------

def corpus_files(corpus: Path, shard: str | None) -> list[Path]:
    """The documents of a generated corpus, in manifest order, optionally one shard of them."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    relpaths = [entry["path"] for entry in manifest["files"]]
    if shard:
        from kg.shard import in_shard, parse_shard

        index, count = parse_shard(shard)
        relpaths = [p for p in relpaths if in_shard(p, index, count)]
    return [corpus / "docs" / p for p in relpaths]


def read_texts(files: list[Path]) -> list[str]:
    """The documents' text as the project's reader returns it (the stage under test reads the same)."""
    read_document = find("kg.readers", "read_document")
    return [read_document(path).text for path in files]


# --- subcommands --------------------------------------------------------------------

def cmd_tokenise(args: argparse.Namespace) -> dict:
    """Baseline: spacy.blank("zh") with the jieba segmenter over the same text, one process."""
    import spacy

    texts = read_texts(corpus_files(args.corpus, args.shard))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.make_doc("预热结巴分词词典")  # jieba loads its dictionary on first use; not part of throughput
    started = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=64):
        tokens += len(doc)
    seconds = time.perf_counter() - started
    return {"docs": len(texts), "chars": sum(map(len, texts)), "tokens": tokens, "seconds": seconds}


def cmd_pipeline(args: argparse.Namespace) -> dict:
    """Every per-document stage in one process, each timed on its own."""
    files = corpus_files(args.corpus, args.shard)
    read_document = find("kg.readers", "read_document")
    timings: dict[str, float] = {}
    unavailable: dict[str, str] = {}
    counts: dict[str, int] = {}

    started = time.perf_counter()
    sources = [read_document(path) for path in files]
    timings["read"] = time.perf_counter() - started
    chars = sum(len(s.text) for s in sources)

    try:
        clean = find("kg.clean", "clean")
        started = time.perf_counter()
        for source in sources:
            clean(source.text)
        timings["clean"] = time.perf_counter() - started
    except Unavailable as reason:
        unavailable["clean"] = str(reason)

    parsed: list = []
    try:
        parse = find("kg.structure", "parse_document", "parse_source", "parse")
        started = time.perf_counter()
        parsed = [parse(source) for source in sources]
        timings["structure"] = time.perf_counter() - started
        counts["measures"] = sum(len(p.measures()) for p in parsed)
    except Unavailable as reason:
        unavailable["structure"] = str(reason)

    records: list = []
    if parsed:
        try:
            load_pipeline = find("extract.pipeline", "load_pipeline")
            extract_record = find("extract.pipeline", "extract_record")
            started = time.perf_counter()
            nlp = load_pipeline()
            timings["pipeline_load"] = time.perf_counter() - started
            extract_record(parsed[0], nlp)  # warm caches (jieba dictionary, gazetteers) outside the timer
            started = time.perf_counter()
            records = [extract_record(p, nlp) for p in parsed]
            timings["extract"] = time.perf_counter() - started
            counts["entities"] = sum(sum(len(v) for v in r.get("entities", {}).values()) for r in records)
        except Unavailable as reason:
            unavailable["extract"] = str(reason)
    else:
        unavailable["extract"] = "needs the structure stage"

    if records:
        try:
            map_record = find("kg.mapping", "map_record")  # what the build's workers call
            map_record(records[0])
            started = time.perf_counter()
            mapped = [map_record(r) for r in records]
            timings["map"] = time.perf_counter() - started
            quad_lists = [m.quads for m in mapped]
            counts["quads"] = sum(len(q) for q in quad_lists)
        except Unavailable as reason:
            unavailable["map"] = str(reason)
    else:
        unavailable["map"] = "needs the extraction stage"

    if records and "map" in timings:
        try:
            validate_quads = find("kg.validate", "validate_quads")
            validate_quads(quad_lists[0])  # loads the shapes outside the timer
            started = time.perf_counter()
            # as the build validates: with the triples the mapping collected
            violations = sum(len(validate_quads(m.quads, triples=m.triples)) for m in mapped)
            timings["validate"] = time.perf_counter() - started
            counts["violations"] = violations
        except Unavailable as reason:
            unavailable["validate"] = str(reason)
    else:
        unavailable["validate"] = "needs the mapping stage"
    return {"docs": len(sources), "chars": chars, "timings": timings, "unavailable": unavailable, "counts": counts}


def cmd_store(args: argparse.Namespace) -> dict:
    """The build's store loading vs pyoxigraph's own bulk_load of the same N-Quads file.

    The build's bulk path (first build into an empty store): workers send each document's
    graph serialised as N-Quads (their cost, not the load's); the build's main process
    hands each to ``kg.build.BulkLoader``, which appends them to a temporary file and
    bulk-loads it whenever it reaches ``BULK_CHUNK_BYTES``. Here the dumped file is fed
    to that loader in pieces, so the measured path is the build's own, chunks included.
    The file is streamed, never held in memory. Its incremental path replaces each
    document's graph in its own transaction; that rate is measured on up to
    ``--entities`` × 10 documents for information.
    """
    from pyoxigraph import RdfFormat, Store, Triple, parse, serialize

    workdir: Path = args.workdir
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    result: dict[str, Any] = {}

    baseline_store = Store(str(workdir / "baseline"))
    started = time.perf_counter()
    baseline_store.bulk_load(path=str(args.nquads), format=RdfFormat.N_QUADS)
    baseline_store.flush()
    result["baseline_seconds"] = time.perf_counter() - started
    result["quads"] = len(baseline_store)
    del baseline_store
    shutil.rmtree(workdir / "baseline", ignore_errors=True)

    try:
        kgstore = importlib.import_module("kg.store")
        kgbuild = importlib.import_module("kg.build")
    except ModuleNotFoundError as error:
        result["build_unavailable"] = f"{error.name} does not exist"
        return result
    loader_class = getattr(kgbuild, "BulkLoader", None)
    if loader_class is None:
        result["build_unavailable"] = "kg.build has no BulkLoader"
        return result
    result["chunk_bytes"] = getattr(kgbuild, "BULK_CHUNK_BYTES", None)
    store_dir = workdir / "build"
    store = kgstore.open_store(store_dir)
    started = time.perf_counter()
    loader = loader_class(store, store_dir)
    try:
        with open(args.nquads, "rb") as source:
            while True:
                piece = source.read(1 << 20)
                if not piece:
                    break
                piece += source.readline()  # whole lines, as each document's graph arrives
                loader.write(piece)
        loader.finish()
    finally:
        loader.close()
    result["seconds"] = time.perf_counter() - started
    result["loaded_quads"] = len(store)
    del store

    replace = getattr(kgstore, "replace_graph_ntriples", None)
    if replace is not None:
        store = kgstore.open_store(workdir / "transactions")
        wanted = args.entities * 10
        graphs: dict[Any, list] = {}
        for quad in parse(path=str(args.nquads), format=RdfFormat.N_QUADS):
            if quad.graph_name not in graphs and len(graphs) >= wanted:
                break  # a dump lists each graph's quads together
            graphs.setdefault(quad.graph_name, []).append(quad)
        payloads = [(graph, serialize([Triple(q.subject, q.predicate, q.object) for q in quads],
                                      format=RdfFormat.N_TRIPLES), len(quads)) for graph, quads in graphs.items()]
        started = time.perf_counter()
        for graph, data, _count in payloads:
            replace(store, graph, data)
        result["transaction_seconds"] = time.perf_counter() - started
        result["transaction_quads"] = sum(count for _, _, count in payloads)
        result["transaction_documents"] = len(payloads)
    return result


def cmd_dump(args: argparse.Namespace) -> dict:
    from pyoxigraph import RdfFormat, Store

    store = Store.read_only(str(args.store))
    started = time.perf_counter()
    store.dump(output=str(args.out), format=RdfFormat.N_QUADS)
    return {"seconds": time.perf_counter() - started, "quads": len(store), "bytes": args.out.stat().st_size,
            "graphs": sum(1 for _ in store.named_graphs())}


def cmd_validate(args: argparse.Namespace) -> dict:
    from pyoxigraph import Store

    validate = find("kg.validate", "validate_store", "validate")
    store = Store.read_only(str(args.store))
    started = time.perf_counter()
    report = validate(store)
    seconds = time.perf_counter() - started
    conforms = getattr(report, "conforms", report if isinstance(report, bool) else None)
    return {"seconds": seconds, "conforms": conforms}


def _queries() -> tuple[Callable, Callable, Callable]:
    list_queries = find("kg.queries", "list_queries")
    run_query = find("kg.queries", "run_query")
    open_store = find("kg.queries", "open_store")
    return list_queries, run_query, open_store


def _time(fn: Callable[[], Any], repeat: int, budget: float | None = None) -> tuple[list[float], Any]:
    """Run ``fn`` once to warm up, then up to ``repeat`` timed runs (fewer when one run is
    slow enough that ``budget`` seconds would be exceeded; at least one)."""
    started = time.perf_counter()
    result = fn()  # warm-up: the first run pays for opening files and caches
    warm = time.perf_counter() - started
    if budget is not None and warm > budget:
        return [warm], result  # one run this slow is the figure; warming up is a small part of it
    if budget is not None and warm > 0:
        repeat = max(1, min(repeat, int(budget / warm)))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def _rows(result: Any) -> int:
    rows = getattr(result, "rows", result)
    try:
        return len(rows)
    except TypeError:
        return sum(1 for _ in rows)


def _open_store(path: Path) -> Any:
    _, _, open_store = _queries()
    return open_store(path)


def cmd_query_names(args: argparse.Namespace) -> dict:
    list_queries, _, _ = _queries()
    return {"names": [query.name for query in list_queries()]}


def cmd_queries(args: argparse.Namespace) -> dict:
    """Named queries (all, or ``--only NAME``) with their default parameters, median of repeated runs."""
    list_queries, run_query, _ = _queries()
    store = _open_store(args.store)
    named = {}
    for query in list_queries():
        if args.only and query.name != args.only:
            continue
        defaults = {p.name: p.default for p in query.params}
        try:
            times, result = _time(lambda: run_query(store, query, defaults), args.repeat, budget=args.budget)
            named[query.name] = {"median": median(times), "runs": times, "rows": _rows(result),
                                 "params": defaults}
        except Exception as error:  # a failing query is a finding, reported with its error
            named[query.name] = {"error": f"{type(error).__name__}: {error}"[:300]}
    return {"queries": named}


def cmd_lookups(args: argparse.Namespace) -> dict:
    """Page-sized lookups (benchmarks/queries/entity-page-*.rq) for sample documents, measures and agencies."""
    from pyoxigraph import Variable

    store = _open_store(args.store)
    sample_text = (ENTITY_QUERIES / "entity-sample.rq").read_text(encoding="utf-8")
    entities = [(solution["entity"], solution["kind"].value)
                for solution in store.query(sample_text, use_default_graph_as_union=True)]
    lookups: dict[str, Any] = {}
    for kind_path in sorted(ENTITY_QUERIES.glob("entity-page-*.rq")):
        text = kind_path.read_text(encoding="utf-8")
        kind = kind_path.stem.removeprefix("entity-page-")
        times, rows = [], []
        for entity, entity_kind in entities:
            if entity_kind != kind:
                continue
            run = lambda: list(store.query(text, substitutions={Variable("entity"): entity},  # noqa: E731
                                           use_default_graph_as_union=True))
            each, result = _time(run, max(1, args.repeat // 2), budget=args.budget)
            times.extend(each)
            rows.append(len(result))
        lookups[kind] = {"median": median(times), "max": max(times) if times else None, "runs": len(times),
                         "entities": len(rows), "rows_median": median(rows)}
    return {"lookups": lookups, "entities": len(entities)}


def cmd_substitutions(args: argparse.Namespace) -> dict:
    """Diagnosis: each parameterised named query bound through pyoxigraph ``substitutions`` (as
    ``run_query`` does) vs the same terms bound by a ``VALUES`` block at the start of its WHERE clause."""
    from pyoxigraph import Variable

    list_queries = find("kg.queries", "list_queries")
    bind_params = find("kg.queries", "bind_params")
    store = _open_store(args.store)
    out: dict[str, Any] = {}
    for query in list_queries():
        if not query.params or (args.only and query.name != args.only):
            continue
        terms = bind_params(query, None)
        names = " ".join(f"?{name}" for name in terms)
        values = " ".join(str(term) for term in terms.values())
        head, where, body = query.sparql.partition("WHERE")
        brace = body.index("{") + 1
        rewritten = head + where + body[:brace] + f" VALUES ({names}) {{ ({values}) }} " + body[brace:]
        substituted = lambda: list(store.query(query.sparql, use_default_graph_as_union=True,  # noqa: E731
                                               substitutions={Variable(k): t for k, t in terms.items()}))
        with_values = lambda: list(store.query(rewritten, use_default_graph_as_union=True))  # noqa: E731
        try:
            sub_times, sub_rows = _time(substituted, 1, budget=args.budget)
            val_times, val_rows = _time(with_values, 1, budget=args.budget)
            out[query.name] = {"substitutions": median(sub_times), "values": median(val_times),
                               "rows": [len(sub_rows), len(val_rows)]}
        except Exception as error:
            out[query.name] = {"error": f"{type(error).__name__}: {error}"[:200]}
    return {"queries": out}


def _rdflib_term(term: Any) -> Any:
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r}")


class _Timeout(Exception):
    pass


def cmd_rdflib_queries(args: argparse.Namespace) -> dict:
    """Baseline: the same named queries on an rdflib in-memory dataset of the same quads."""
    import rdflib

    list_queries = find("kg.queries", "list_queries")
    bind_params = find("kg.queries", "bind_params")
    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(args.nquads), format="nquads")
    load_seconds = time.perf_counter() - started

    def on_alarm(signum, frame):  # noqa: ANN001, ARG001
        raise _Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    results = {}
    for query in list_queries():
        bindings = {name: _rdflib_term(term) for name, term in bind_params(query, None).items()}
        times: list[float] = []
        try:
            for attempt in range(args.repeat + 1):
                signal.alarm(args.timeout)
                started = time.perf_counter()
                rows = len(list(dataset.query(query.sparql, initBindings=bindings)))
                elapsed = time.perf_counter() - started
                signal.alarm(0)
                if attempt:
                    times.append(elapsed)
                elif elapsed * args.repeat > args.timeout:
                    times.append(elapsed)  # one slow run is enough to know
                    break
            results[query.name] = {"median": median(times), "runs": times, "rows": rows}
        except _Timeout:
            results[query.name] = {"median": None, "timeout": args.timeout,
                                   "note": f"over {args.timeout} s (stopped)"}
        except Exception as error:
            signal.alarm(0)
            results[query.name] = {"error": f"{type(error).__name__}: {error}"[:300]}
    return {"load_seconds": load_seconds, "triples": len(dataset), "queries": results}


def cmd_site(args: argparse.Namespace) -> dict:
    """Site generation into a fresh folder; the search index is timed separately by the caller."""
    import inspect

    generate_site = find("kg.site", "generate_site")
    shutil.rmtree(args.out, ignore_errors=True)
    kwargs = {}
    parameters = inspect.signature(generate_site).parameters
    for name in ("search_index", "search", "index_search", "pagefind", "with_search"):
        if name in parameters:
            kwargs[name] = False  # the search index is reported on its own
            break
    started = time.perf_counter()
    summary = generate_site(args.store, args.out, args.base_url, **kwargs)
    seconds = time.perf_counter() - started
    size, files = folder_size(args.out)
    pages = sum(1 for _ in args.out.rglob("*.html"))
    searched = any(args.out.glob("pagefind*"))
    return {"seconds": seconds, "pages": pages, "bytes": size, "files": files, "search_included": searched,
            "search_disabled_with": sorted(kwargs), "site_timings": getattr(summary, "timings", None),
            "pages_reported": getattr(summary, "pages", None)}


def _planned_pages(store_dir: Path, nquads: Path | None = None) -> tuple[Any, list, dict]:
    """The site's own pages with their contexts, prepared before the clock starts (data access).
    ``nquads``: the site's own dump of the store, quicker to load than the store is to read."""
    from pyoxigraph import RdfFormat, Store

    site = importlib.import_module("kg.site")
    for name in ("read_graph", "assemble", "plan_pages", "make_environment"):
        if not hasattr(site, name):
            raise Unavailable(f"kg.site has no {name}")
    # a copy in memory, as the site reads it (random reads of a store on disk are slow)
    store = Store()
    if nquads is not None and nquads.is_file():
        store.bulk_load(path=str(nquads), format=RdfFormat.N_QUADS)
    else:
        store.bulk_extend(Store.read_only(str(store_dir)).quads_for_pattern(None, None, None, None))
    corpus = site.assemble(site.read_graph(store))
    import datetime as dt

    today = dt.date.today()
    pages = site.plan_pages(corpus, store, today)
    common = {"site": {"base_url": "/", "build_date": today.isoformat(), "version": "benchmark"}}
    return site.make_environment(None), pages, common


def cmd_jinja(args: argparse.Namespace) -> dict:
    """Baseline: Jinja2 alone rendering as many pages (the site's templates and page contexts,
    prepared before timing, so no data access) into a fresh folder."""
    environment, pages, common = _planned_pages(args.store, args.nquads)
    if not pages:
        raise Unavailable("the site plans no pages")
    count = args.pages or len(pages)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    templates: dict[str, Any] = {}
    started = time.perf_counter()
    for number in range(count):
        page = pages[number % len(pages)]
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = environment.get_template(page.template)
        context = dict(page.context)
        context.update(common, root="../" * page.path.count("/"), path=page.path, canonical=None, iri=None,
                       jsonld=None)
        folder = args.out / f"{number // 1000:04d}"
        if number % 1000 == 0:
            folder.mkdir()
        (folder / f"{number}.html").write_text(template.render(context), encoding="utf-8")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": count, "planned_pages": len(pages), "templates": len(templates)}


def cmd_search(args: argparse.Namespace) -> dict:
    """The site's search index as the site writes it (``kg.site.index_search``: Pagefind,
    part by part), over a site generated without one."""
    index_search = find("kg.site", "index_search")
    for leftover in args.out.glob("pagefind*"):
        shutil.rmtree(leftover)
    started = time.perf_counter()
    indexed = index_search(args.out)
    seconds = time.perf_counter() - started
    parts = sorted(args.out.glob("pagefind*/pagefind-entry.json"))
    pages = sum(sum(language.get("page_count", 0) for language in json.loads(entry.read_text(encoding="utf-8"))
                    .get("languages", {}).values()) for entry in parts)
    return {"seconds": seconds, "indexed": bool(indexed), "parts": len(parts), "indexed_pages": pages}


COMMANDS = {
    "tokenise": cmd_tokenise, "pipeline": cmd_pipeline, "store": cmd_store, "dump": cmd_dump,
    "validate": cmd_validate, "queries": cmd_queries, "query-names": cmd_query_names, "lookups": cmd_lookups,
    "rdflib-queries": cmd_rdflib_queries, "substitutions": cmd_substitutions,
    "site": cmd_site, "jinja": cmd_jinja, "search": cmd_search,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one benchmark figure, measured in this process")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--shard")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--nquads", type=Path)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--pages", type=int, default=0)
    parser.add_argument("--base-url", default="https://example.org/policykg/")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--entities", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--only", help="queries: run only this named query")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of timed runs per query (fewer repeats when slow)")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument text profile of the measured run here")
    args = parser.parse_args(argv)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    try:
        payload = COMMANDS[args.command](args)
        payload["available"] = True
    except Unavailable as reason:
        payload = {"available": False, "reason": str(reason)}
    if profiler is not None:
        profiler.stop()
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    emit(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
