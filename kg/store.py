"""The Oxigraph store on disk: one named graph per document, one for reference data.

Every document graph carries the SHA-256 of its file's bytes (``pkg:contentHash``) and
the file's key (``pkg:sourceKey``, its path relative to the folder it was built from),
so a rebuild can tell, with one query and without parsing anything, which files are
unchanged (skipped), changed (their graph replaced) or gone (pruned).

Writes are atomic per document: ``replace_document_graphs`` drops the old graph(s) and
inserts the new one in a single SPARQL update, which Oxigraph runs as one transaction,
so a crash leaves either the old graph or the new one, never half of one. The first
build into an empty store instead streams every graph into one N-Quads file and
bulk-loads it; a marker file makes an interrupted bulk load visible so the next build
starts again from an empty store.

Readers (``open_read_only``) open a consistent snapshot of the store even while a
build holds it for writing.

>>> store = open_store(None)
>>> g = NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12")
>>> q = Quad(g, PKG.contentHash, Literal("ab"), g)
>>> replace_document_graphs(store, g, [q, Quad(g, PKG.sourceKey, Literal("a.txt"), g)])
>>> [(d.key, d.content_hash) for d in stored_documents(store).values()]
[('a.txt', 'ab')]
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from kg.errors import PolicyKGError
from kg.namespaces import BASE_IRI, PKG, REFERENCE_GRAPH
from kg.queries import internal_query

#: Marker written into the store folder while a bulk load runs.
BULK_MARKER = ".policykg-bulk-load-incomplete"
#: Prefix of the IRIs that replace blank nodes of the reference files (skolem IRIs).
GENID = BASE_IRI + ".well-known/genid/"
#: Bump when the way reference files become quads changes, so stores reload them.
REFERENCE_FORMAT_VERSION = "1"
#: How many times a read-only open is tried while a writer may be compacting.
READ_ONLY_ATTEMPTS = 8


@dataclass(frozen=True)
class StoredDocument:
    """What the store knows about one document graph."""

    graph: NamedNode
    key: str
    content_hash: str
    measures: int = 0
    facts: int = 0
    triples: int = 0


def open_store(path: str | Path | None) -> Store:
    """Open (creating it if needed) the store for writing; ``None`` is an in-memory store.

    Only one process may write a store at a time; a second writer gets a clear error.
    """
    if path is None:
        return Store()
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise PolicyKGError("the store must be a folder", path)
    try:
        return Store(str(path))
    except OSError as error:
        message = str(error)
        if "lock" in message.lower():
            raise PolicyKGError("the store is being written by another process (a build?); "
                                "read commands can still open it", path) from error
        raise PolicyKGError(f"cannot open the store: {message}", path) from error


def open_read_only(path: str | Path) -> Store:
    """Open the store for reading: a consistent snapshot, usable while a build writes it."""
    path = Path(path)
    if not path.is_dir():
        raise PolicyKGError("no store here; run `policykg build` first", path)
    last_error: Exception | None = None
    # A writer (a running build) may compact and delete files between the moment a
    # read-only instance lists them and the moment it opens them: try again.
    for attempt in range(READ_ONLY_ATTEMPTS):
        try:
            return Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            last_error = error
            time.sleep(0.05 * (attempt + 1))
    raise PolicyKGError(f"cannot open the store: {last_error}", path) from last_error


def is_empty(store: Store) -> bool:
    """True when the store holds no quad at all."""
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


def stored_index(store: Store) -> tuple[dict[str, StoredDocument], dict[str, list[NamedNode]]]:
    """Every document graph of the store by source key, from one query: the graph that
    counts for each key (``stored_documents``) and all of them, normally one.

    When several graphs claim the same key (a file whose number changed under an
    interrupted build), the last in IRI order counts; the others are pruned when that
    key is rebuilt."""
    found: dict[str, StoredDocument] = {}
    graphs: dict[str, list[NamedNode]] = {}
    rows = sorted(store.query(internal_query("stored-documents")), key=lambda row: row["g"].value)
    for row in rows:
        number = lambda name: int(row[name].value) if row[name] is not None else 0  # noqa: E731
        key = row["key"].value
        found[key] = StoredDocument(row["g"], key, row["hash"].value,
                                    number("measures"), number("facts"), number("triples"))
        graphs.setdefault(key, []).append(row["g"])
    return found, graphs


def stored_documents(store: Store) -> dict[str, StoredDocument]:
    """Every document graph of the store by source key (see ``stored_index``)."""
    return stored_index(store)[0]


def _update_text(drop: Iterable[NamedNode], graph: NamedNode | None, quads: list[Quad]) -> str:
    """One SPARQL update that drops graphs and inserts one graph's triples. Terms are
    written by the pyoxigraph serialiser (N-Triples is valid SPARQL), never by hand."""
    parts = [f"DROP SILENT GRAPH {g}" for g in dict.fromkeys(drop)]
    if graph is not None and quads:
        triples = serialize([Triple(q.subject, q.predicate, q.object) for q in quads],
                            format=RdfFormat.N_TRIPLES).decode("utf-8")
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{triples}}} }}")
    return " ;\n".join(parts)


def replace_document_graphs(store: Store, graph: NamedNode, quads: list[Quad],
                            also_drop: Iterable[NamedNode] = ()) -> None:
    """Replace ``graph`` (and drop ``also_drop``) by ``quads``, in one transaction."""
    if any(q.graph_name != graph for q in quads):
        raise ValueError("every quad must be in the graph being replaced")
    store.update(_update_text([graph, *also_drop], graph, quads))


def replace_graph_ntriples(store: Store, graph: NamedNode, ntriples: bytes,
                           also_drop: Iterable[NamedNode] = ()) -> None:
    """``replace_document_graphs`` for a graph already serialised as N-Triples (what a
    build worker sends back), in one transaction."""
    parts = [f"DROP SILENT GRAPH {g}" for g in dict.fromkeys([graph, *also_drop])]
    parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples.decode('utf-8')}}} }}")
    store.update(" ;\n".join(parts))


def drop_graphs(store: Store, graphs: Iterable[NamedNode]) -> None:
    """Drop graphs, all in one transaction."""
    text = _update_text(graphs, None, [])
    if text:
        store.update(text)


# --------------------------------------------------------------------------- rejected documents
#
# A document the build rejected (unreadable, invalid against the shapes, or claiming the
# graph of another document) has no graph to carry its content hash, so the store alone
# cannot tell that it is unchanged. A small JSON file beside the store folder remembers
# each rejected document's key, content hash and reason (as ``kg.push`` keeps its state),
# so the next build reports it again without parsing it (or starting spaCy for it).

REJECTED_VERSION = 1


def rejected_path_for(store_dir: Path) -> Path:
    """The rejected-documents file beside the store folder (``policykg-data.rejected.json``)."""
    store_dir = Path(store_dir)
    return store_dir.parent / f"{store_dir.name}.rejected.json"


def read_rejected(store_dir: Path | None) -> dict[str, dict]:
    """The rejected documents remembered for this store, by source key ({} when none)."""
    if store_dir is None:
        return {}
    path = rejected_path_for(store_dir)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(payload, dict) or payload.get("version") != REJECTED_VERSION:
        return {}
    documents = payload.get("documents")
    return documents if isinstance(documents, dict) else {}


def write_rejected(store_dir: Path | None, documents: dict[str, dict]) -> None:
    """Replace the remembered rejected documents (atomically); no file when there are none."""
    if store_dir is None:
        return
    path = rejected_path_for(store_dir)
    if not documents:
        path.unlink(missing_ok=True)
        return
    write_json_atomically(path, {"version": REJECTED_VERSION, "documents": documents})


def write_json_atomically(path: Path, payload: dict) -> None:
    """Write ``payload`` as UTF-8 JSON to ``path`` through a temporary file and a rename,
    so a reader or a crash never sees half a file (the build's and push's state files)."""
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text + "\n")
    os.replace(temporary, path)


def interrupted_bulk_load(store_dir: Path | None) -> bool:
    """True when a bulk load into this store folder started and never finished."""
    return store_dir is not None and (Path(store_dir) / BULK_MARKER).exists()


def start_bulk_load(store_dir: Path) -> None:
    (Path(store_dir) / BULK_MARKER).write_text("a bulk load started and did not finish\n", encoding="utf-8")


# --------------------------------------------------------------------------- reference graph

def reference_sources() -> list[Path]:
    """The files of the reference graph: the ontology and the reference data files."""
    from kg.resources import data_path  # noqa: PLC0415

    files = [data_path("ontology", "policykg.ttl")]
    try:
        from kg.reference import reference_files  # noqa: PLC0415
    except ImportError:
        reference_files = None  # type: ignore[assignment]
    if reference_files is not None:
        files.extend(reference_files())
    return [f for f in files if f.is_file()]


def reference_hash(files: Iterable[Path]) -> str:
    """SHA-256 over the names and bytes of the reference files (and the loader version)."""
    digest = hashlib.sha256(REFERENCE_FORMAT_VERSION.encode())
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def reference_quads(files: Iterable[Path]) -> list[Quad]:
    """The reference graph: every triple of the files, blank nodes replaced by skolem
    IRIs numbered in file order (``…/.well-known/genid/{file stem}-{n}``), so the graph
    is the same on every build."""
    quads: dict[Quad, None] = {}
    for path in files:
        names: dict[str, NamedNode] = {}

        def skolem(term, stem=path.stem, names=names):  # noqa: ANN001, ANN202
            if isinstance(term, BlankNode):
                if term.value not in names:
                    names[term.value] = NamedNode(f"{GENID}{stem}-{len(names) + 1}")
                return names[term.value]
            return term

        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            quads[Quad(skolem(triple.subject), triple.predicate, skolem(triple.object), REFERENCE_GRAPH)] = None
    return list(quads)


def stored_reference_hash(store: Store) -> str | None:
    for quad in store.quads_for_pattern(REFERENCE_GRAPH, PKG.contentHash, None, REFERENCE_GRAPH):
        return quad.object.value
    return None


def load_reference(store: Store, force: bool = False) -> bool:
    """(Re)load the reference graph when its files changed; True when it was loaded."""
    files = reference_sources()
    digest = reference_hash(files)
    if not force and stored_reference_hash(store) == digest:
        return False
    quads = reference_quads(files)
    quads.append(Quad(REFERENCE_GRAPH, PKG.contentHash, Literal(digest), REFERENCE_GRAPH))
    replace_document_graphs(store, REFERENCE_GRAPH, quads)
    return True


# --------------------------------------------------------------------------- reading back

def document_graphs(store: Store) -> list[NamedNode]:
    """The IRIs of every document graph, sorted."""
    return sorted((d.graph for d in stored_documents(store).values()), key=lambda g: g.value)


def graph_quads(store: Store, graph: NamedNode | DefaultGraph) -> list[Quad]:
    return list(store.quads_for_pattern(None, None, None, graph))


def canonical_nquads(store: Store) -> bytes:
    """Every quad as N-Quads, lines sorted: the same dataset gives the same bytes.

    The graphs hold no blank nodes (reference files are skolemised), so sorting lines
    is a canonical form."""
    data = store.dump(format=RdfFormat.N_QUADS)
    lines = [line for line in data.split(b"\n") if line]
    lines.sort()
    return b"\n".join(lines) + (b"\n" if lines else b"")


def canonical_hash(store: Store) -> str:
    """SHA-256 of ``canonical_nquads``."""
    return hashlib.sha256(canonical_nquads(store)).hexdigest()


def count_quads(store: Store, graph: NamedNode | None = None) -> int:
    """Number of quads in one graph, or in the whole store."""
    if graph is None:
        return len(store)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
