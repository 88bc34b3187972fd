"""``policykg build``: files → documents → records → quads → the Oxigraph store.

The build walks the paths, hashes each file's bytes and asks the store, in one query,
for the hash of every document it holds: unchanged files are skipped without being
parsed. The others are read, parsed, extracted, mapped and validated in a pool of
worker processes (each loads the spaCy pipeline once and sends back only the
serialised graph), and each result is written as it arrives:

* into an empty store, every graph goes into one N-Quads file that is bulk-loaded at
  the end (the fast path of a first build);
* otherwise each document replaces exactly its own graph in one transaction.

A document that fails (unreadable, a crash in extraction, a SHACL violation) is
reported with its file and reason and leaves its previous graph as it was; the others
go on. A rejected file (not a crash) is remembered by its content hash beside the store
(``kg.store.read_rejected``), so while it is unchanged later builds report it again
without processing it: an unchanged corpus never starts the extraction pipeline.
``prune`` drops the graphs of files that are gone.

>>> print(BuildSummary(built=4, skipped=1, documents=5, measures=171, entities=840, triples=26196,
...                    seconds=12.3).describe())
documents: 4 built, 1 unchanged, 0 failed
store: 5 documents, 171 measures, 840 entities, 26196 triples
time: 12.3 s
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("通知", encoding="utf-8")
>>> [(s.key, s.content_hash[:12]) for s in discover([folder])]
[('a.txt', '4b6ded8a7f18')]
"""

from __future__ import annotations

import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pyoxigraph import NamedNode, RdfFormat, Store, serialize

from kg.errors import PolicyKGError
from kg.validate import Violation

DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class Source:
    """A document file of the build and its key (its path relative to the folder argument)."""

    path: Path
    key: str
    content_hash: str


@dataclass(frozen=True)
class DocumentFailure:
    path: str
    reason: str

    def describe(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class BuildSummary:
    """What a build did and what the store holds afterwards."""

    built: int = 0
    skipped: int = 0
    failed: list[DocumentFailure] = field(default_factory=list)
    pruned: int = 0
    violations: list[Violation] = field(default_factory=list)
    reference_loaded: bool = False
    bulk_loaded: bool = False
    documents: int = 0  # in the store
    measures: int = 0
    entities: int = 0
    triples: int = 0
    built_triples: int = 0
    seconds: float = 0.0
    links: str | None = None  # what the cross-document linking pass did (kg.links)
    load_seconds: float = 0.0  # time spent writing into the store (or the bulk file, then bulk-loading)
    store_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and not any(v.severity == "Violation" for v in self.violations)

    def describe(self) -> str:
        lines = [
            f"documents: {self.built} built, {self.skipped} unchanged, {len(self.failed)} failed"
            + (f", {self.pruned} pruned" if self.pruned else ""),
            f"store: {self.documents} documents, {self.measures} measures, {self.entities} entities, "
            f"{self.triples} triples" + (f" in {self.store_dir}" if self.store_dir else ""),
            f"time: {self.seconds:.1f} s" + (" (bulk load)" if self.bulk_loaded else ""),
        ]
        if self.links:
            lines.insert(2, self.links)
        return "\n".join(lines)


# --------------------------------------------------------------------------- discovery

def discover(paths: Iterable[str | Path], warn: Callable[[str], None] | None = None) -> list[Source]:
    """Every document under ``paths`` with its key and content hash (bytes only, no parsing)."""
    import hashlib  # noqa: PLC0415

    from kg.readers import iter_document_paths  # noqa: PLC0415

    sources: list[Source] = []
    for argument in paths:
        argument = Path(argument)
        for path in iter_document_paths([argument], warn):
            key = path.relative_to(argument).as_posix() if argument.is_dir() else path.name
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            sources.append(Source(path, key, digest))
    return sources


# --------------------------------------------------------------------------- worker side

#: The module behind each PROV component name of ``kg.mapping``.
COMPONENT_MODULES = {"structure": "kg.structure", "agencies": "extract.agencies", "amounts": "extract.amounts",
                     "rates": "extract.rates", "dates": "extract.dates", "durations": "extract.durations",
                     "industries": "extract.industries", "targets": "extract.targets",
                     "citations": "extract.citations", "people": "extract.people"}


def extractor_versions() -> dict[str, str]:
    """The version of each extraction component: its module's ``__version__`` when it
    declares one, else the PolicyKG version (recorded in PROV as ``pkgr:extractor/{c}/{v}``)."""
    import importlib  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from kg import __version__  # noqa: PLC0415

    versions = {}
    for component, module_name in COMPONENT_MODULES.items():
        module = sys.modules.get(module_name)
        if module is None:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                module = None
        versions[component] = str(getattr(module, "__version__", __version__))
    return versions


def _init_worker() -> None:
    """Load the extraction pipeline once per worker process."""
    from extract.pipeline import load_pipeline  # noqa: PLC0415

    load_pipeline()


def process_document(task: tuple[str, str, str, bool, str | None]) -> dict[str, Any]:
    """Read, parse, extract, map and (optionally) validate one document.

    Returns only plain data: the serialised graph (N-Quads for the bulk path,
    N-Triples for a transactional replace), counts and problems."""
    path, key, content_hash, as_nquads, validate = task  # validate: SHACL engine name or None
    try:
        from extract.pipeline import extract_record, load_pipeline, parse_path  # noqa: PLC0415
        from kg.mapping import map_record  # noqa: PLC0415

        parsed = parse_path(path)
        record = extract_record(parsed, load_pipeline())
        source = record["document"].setdefault("source", {})
        source["key"] = key
        source["content_hash"] = content_hash  # the hash the skip check compares
        source.setdefault("file", Path(path).name)
        record.setdefault("extractors", extractor_versions())
        mapped = map_record(record)
        violations: list[Violation] = []
        if validate:
            from kg.validate import validate_quads  # noqa: PLC0415

            violations = validate_quads(mapped.quads, validate, triples=mapped.triples)
        if as_nquads:
            data = serialize(mapped.quads, format=RdfFormat.N_QUADS)
        else:
            from pyoxigraph import Triple  # noqa: PLC0415

            data = serialize([Triple(q.subject, q.predicate, q.object) for q in mapped.quads],
                             format=RdfFormat.N_TRIPLES)
        return {"path": path, "key": key, "ok": True, "graph": mapped.graph.value, "data": data,
                "measures": mapped.measures, "facts": mapped.facts, "triples": len(mapped.quads),
                "violations": violations}
    except PolicyKGError as error:
        # a problem of the file itself (empty, unreadable…): the same bytes fail the same way
        return {"path": path, "key": key, "ok": False, "reason": error.message, "rejected": True}
    except Exception as error:  # noqa: BLE001 - one bad document must not stop the others
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        where = f" (at {Path(frame.filename).name}:{frame.lineno})" if frame else ""
        return {"path": path, "key": key, "ok": False, "reason": f"{type(error).__name__}: {error}{where}"}


def _results(tasks: list[tuple[str, str, str, bool, str | None]], workers: int) -> Iterator[dict[str, Any]]:
    """Run the tasks inline (one worker, or a single task) or in a process pool."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield process_document(task)
        return
    import multiprocessing  # noqa: PLC0415

    # spawn, not fork: the parent holds an open RocksDB store and its threads
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(workers, len(tasks)), initializer=_init_worker) as pool:
        yield from pool.imap_unordered(process_document, tasks, chunksize=1)


# --------------------------------------------------------------------------- the build

def build_corpus(
    paths: Iterable[str | Path] | None = None,
    store_dir: str | Path | None = Path("policykg-data"),
    *,
    workers: int = DEFAULT_WORKERS,
    validate: bool = True,
    prune: bool = False,
    progress: bool | None = None,
    warn: Callable[[str], None] | None = None,
    store: Store | None = None,
    shard: tuple[int, int] | None = None,
    engine: str = "fast",
) -> BuildSummary:
    """Build (or update) the store from the documents under ``paths`` (default: the
    bundled corpus). ``store`` may be an already open store (tests use memory stores).
    With ``workers > 1`` the worker processes are spawned, so a script calling this must
    do so under ``if __name__ == "__main__":``.
    ``engine`` is the SHACL engine (``kg.validate.ENGINES``) used when ``validate``."""
    from kg import store as kgstore  # noqa: PLC0415
    from kg.resources import default_corpus  # noqa: PLC0415

    started = time.perf_counter()
    paths = list(paths or []) or [default_corpus()]
    summary = BuildSummary(store_dir=Path(store_dir) if store_dir is not None and store is None else None)
    sources = discover(paths, warn)
    if shard is not None:
        from kg.shard import in_shard  # noqa: PLC0415

        sources = [s for s in sources if in_shard(s.key, *shard)]
    by_key: dict[str, Source] = {}
    for source in sources:
        if source.key in by_key:
            summary.failed.append(DocumentFailure(str(source.path), f"same relative path as {by_key[source.key].path}; skipped"))
            continue
        by_key[source.key] = source

    owned = store is None
    if store is None:
        store_path = Path(store_dir) if store_dir is not None else None
        store = kgstore.open_store(store_path)
        if kgstore.interrupted_bulk_load(store_path):
            (warn or (lambda m: None))(f"{store_path}: a previous bulk load did not finish; rebuilding the store")
            store.clear()
            (store_path / kgstore.BULK_MARKER).unlink()  # type: ignore[operator]
    else:
        store_path = None
    try:
        summary.reference_loaded = kgstore.load_reference(store)
        if summary.reference_loaded and validate:
            from kg.validate import validate_store  # noqa: PLC0415

            summary.violations.extend(validate_store(store, [kgstore.REFERENCE_GRAPH], engine=engine).violations)

        stored, graphs_of_key = kgstore.stored_index(store)
        todo = [s for s in by_key.values() if s.key not in stored or stored[s.key].content_hash != s.content_hash]
        summary.skipped = len(by_key) - len(todo)
        # Rejected by an earlier build with the same bytes and the same checks: report it
        # again instead of processing it again.
        checks = _checks_fingerprint(engine if validate else None)
        remembered = kgstore.read_rejected(store_path)
        rejections: dict[str, dict] = {}
        again = [s for s in todo if _still_rejected(remembered.get(s.key), s, checks, by_key, stored)]
        for source in again:
            entry = rejections[source.key] = remembered[source.key]
            summary.failed.append(DocumentFailure(str(source.path), entry["reason"] + " (unchanged; not processed again)"))
            summary.violations.extend(Violation(**v) for v in entry.get("violations") or [])
        todo = [s for s in todo if s.key not in rejections]
        bulk = not stored and len(todo) > 1
        tasks = [(str(s.path), s.key, s.content_hash, bulk, engine if validate else None) for s in todo]
        owner_of_graph = {d.graph.value: d.key for d in stored.values()}

        bulk_file = BulkLoader(store, store_path) if bulk else None
        try:
            results: Iterable[dict[str, Any]] = _results(tasks, workers)
            show = progress if progress is not None else len(tasks) > 20
            if show:
                from tqdm import tqdm  # noqa: PLC0415

                results = tqdm(results, total=len(tasks), desc="building", unit="doc")
            for result in results:
                load_started = time.perf_counter()
                rejection = _apply(result, store, summary, by_key, owner_of_graph, graphs_of_key, bulk_file)
                if rejection is not None:
                    rejections[result["key"]] = {"content_hash": by_key[result["key"]].content_hash,
                                                 "checks": checks, **rejection}
                summary.load_seconds += time.perf_counter() - load_started
            if bulk_file is not None:
                load_started = time.perf_counter()
                summary.bulk_loaded = bulk_file.finish()
                summary.load_seconds += time.perf_counter() - load_started
        finally:
            if bulk_file is not None:
                bulk_file.close()

        # Keep what other shards or folder arguments rejected; forget files that are gone.
        kept = {key: entry for key, entry in remembered.items() if key not in by_key
                and not (prune and (shard is None or _in_shard(key, shard)))}
        if rejections or kept or remembered:
            kgstore.write_rejected(store_path, {**kept, **rejections})

        if prune:
            gone = [g for key, graphs in graphs_of_key.items() if key not in by_key
                    and (shard is None or _in_shard(key, shard)) for g in graphs]  # other shards' graphs stay
            kgstore.drop_graphs(store, gone)
            summary.pruned = len(gone)

        changed = summary.built or summary.pruned or summary.reference_loaded
        if changed or not store.contains_named_graph(_links_graph() or kgstore.REFERENCE_GRAPH):
            summary.links = _link(store)

        for document in kgstore.stored_documents(store).values():
            summary.documents += 1
            summary.measures += document.measures
            summary.entities += document.facts
            summary.triples += document.triples
        summary.triples += kgstore.count_quads(store, kgstore.REFERENCE_GRAPH)
        links_graph = _links_graph()
        if links_graph is not None:
            summary.triples += kgstore.count_quads(store, links_graph)
    finally:
        if owned:
            store.flush()
            del store
    summary.seconds = time.perf_counter() - started
    return summary


#: Bulk-load the collected N-Quads whenever they reach this size: bounds the temporary
#: file and the loader's memory (300 documents: the build process peaked at 446 MB with
#: 64 MB chunks, 778 MB with 256 MB ones), and loads while the workers still extract.
BULK_CHUNK_BYTES = 64 * 1024 * 1024


class BulkLoader:
    """Collects the graphs of a first build as N-Quads in a temporary file next to the
    store and bulk-loads it in chunks. A marker file in the store folder says a bulk load
    is under way, so a build interrupted between chunks is redone from scratch."""

    def __init__(self, store: Store, store_path: Path | None) -> None:
        self.store, self.store_path, self.chunk_bytes = store, store_path, BULK_CHUNK_BYTES
        directory = store_path.parent if store_path is not None else None
        self.file = tempfile.NamedTemporaryFile(prefix=".policykg-bulk-", suffix=".nq", dir=directory, delete=False)
        self.loaded = False

    def write(self, data: bytes) -> None:
        self.file.write(data)
        if self.file.tell() >= self.chunk_bytes:
            self._load()

    def _load(self) -> None:
        if self.file.tell() == 0:
            return
        self.file.flush()
        if not self.loaded and self.store_path is not None:
            from kg.store import start_bulk_load  # noqa: PLC0415

            start_bulk_load(self.store_path)
        # lenient: the file holds only what pyoxigraph serialised from valid terms, so
        # checking every IRI again is wasted (≈ 20% of the load)
        self.store.bulk_load(path=self.file.name, format=RdfFormat.N_QUADS, lenient=True)
        self.file.seek(0)
        self.file.truncate()
        self.loaded = True

    def finish(self) -> bool:
        """Load what is left; True when anything was loaded."""
        from kg.store import BULK_MARKER  # noqa: PLC0415

        self._load()
        if self.loaded:
            self.store.flush()
            if self.store_path is not None:
                (self.store_path / BULK_MARKER).unlink(missing_ok=True)
        return self.loaded

    def close(self) -> None:
        self.file.close()
        Path(self.file.name).unlink(missing_ok=True)


def _in_shard(key: str, shard: tuple[int, int]) -> bool:
    from kg.shard import in_shard  # noqa: PLC0415

    return in_shard(key, *shard)


def _links_graph() -> NamedNode | None:
    try:
        from kg.links import LINKS_GRAPH  # noqa: PLC0415
    except ImportError:
        return None
    return LINKS_GRAPH


def _link(store: Store) -> str | None:
    """Recompute the links between documents (citations resolved, implementations,
    lead officials), once the document graphs are in place; None when kg.links is absent."""
    try:
        from kg.links import describe, link_store  # noqa: PLC0415
    except ImportError:
        return None
    return describe(link_store(store))


def _checks_fingerprint(engine: str | None) -> str:
    """What decides whether the same bytes are rejected again: the PolicyKG version, the
    SHACL engine (None: no validation) and the shapes."""
    import hashlib  # noqa: PLC0415

    from kg import __version__  # noqa: PLC0415
    from kg.resources import data_path  # noqa: PLC0415

    digest = hashlib.sha256(f"{__version__}\0{engine}\0".encode("utf-8"))
    shapes = data_path("ontology", "shapes.ttl")
    if shapes.is_file():
        digest.update(shapes.read_bytes())
    return digest.hexdigest()[:16]


def _still_rejected(entry: dict | None, source: Source, checks: str, by_key: dict[str, Source],
                    stored: dict[str, Any]) -> bool:
    """Whether a remembered rejection still holds for ``source`` without processing it."""
    if not isinstance(entry, dict) or entry.get("content_hash") != source.content_hash or entry.get("checks") != checks:
        return False
    owner = entry.get("owner")
    if owner is None:
        return True
    # A clash with another document holds while that document and its graph are unchanged.
    owner_hash = entry.get("owner_hash")
    document = stored.get(owner)
    return (owner in by_key and by_key[owner].content_hash == owner_hash and document is not None
            and document.content_hash == owner_hash and document.graph.value == entry.get("graph"))


def _apply(result: dict[str, Any], store: Store, summary: BuildSummary, by_key: dict[str, Source],
           owner_of_graph: dict[str, str], graphs_of_key: dict[str, list[NamedNode]],
           bulk_file: Any) -> dict[str, Any] | None:
    """Write one worker result into the store (or the bulk file), or record why not.

    Returns what to remember about a document rejected for reasons its unchanged bytes
    would meet again (see ``kg.store.read_rejected``), else None."""
    from dataclasses import asdict  # noqa: PLC0415

    from kg import store as kgstore  # noqa: PLC0415

    path, key = result["path"], result["key"]
    if not result["ok"]:
        summary.failed.append(DocumentFailure(path, result["reason"]))
        # a crash (a bug, memory) may not happen again: only a rejected file is remembered
        return {"reason": result["reason"]} if result.get("rejected") else None
    errors = [v for v in result["violations"] if v.severity == "Violation"]
    summary.violations.extend(result["violations"])
    if errors:
        reason = f"{len(errors)} SHACL violation(s); its graph was not written"
        summary.failed.append(DocumentFailure(path, reason))
        return {"reason": reason, "violations": [asdict(v) for v in result["violations"]]}
    graph = result["graph"]
    owner = owner_of_graph.get(graph)
    if owner is not None and owner != key and owner in by_key:
        reason = f"has the same document IRI <{graph}> as {owner} (same number or title); skipped"
        summary.failed.append(DocumentFailure(path, reason))
        return {"reason": reason, "owner": owner, "owner_hash": by_key[owner].content_hash, "graph": graph}
    node = NamedNode(graph)
    if owner is not None and owner != key:  # its file is gone: this document takes the graph over
        graphs_of_key[owner] = [g for g in graphs_of_key.get(owner, []) if g != node]
    owner_of_graph[graph] = key
    if bulk_file is not None:
        bulk_file.write(result["data"])
    else:
        old = [g for g in graphs_of_key.get(key, []) if g != node]
        kgstore.replace_graph_ntriples(store, node, result["data"], old)
    graphs_of_key[key] = [node]
    summary.built += 1
    summary.built_triples += result["triples"]
    return None


def run_build(
    paths: Iterable[str | Path],
    store_dir: Path,
    *,
    site_dir: Path | None,
    base_url: str = "/",
    prune: bool = False,
    validate: bool = True,
    workers: int = DEFAULT_WORKERS,
    shard: tuple[int, int] | None = None,
    engine: str = "fast",
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
) -> int:
    """``policykg build``: build the graph, report, then generate the site (when
    ``site_dir`` is given and the site generator is installed). Returns the exit code:
    0, or 1 when a document failed or a graph violates the shapes."""
    summary = build_corpus(paths, store_dir, workers=workers, validate=validate, prune=prune,
                           warn=warn, shard=shard, engine=engine)
    for violation in summary.violations:
        echo(violation.describe())
    for failure in summary.failed:
        (warn or echo)(f"failed: {failure.describe()}")
    echo(summary.describe())
    if site_dir is not None:
        try:
            from kg.site import generate_site  # noqa: PLC0415
        except ImportError:
            (warn or echo)("the site generator is not installed; skipping the site")
        else:
            site = generate_site(Path(store_dir), Path(site_dir), base_url=base_url)
            echo(f"site: {site}")
    return 0 if summary.ok else 1
