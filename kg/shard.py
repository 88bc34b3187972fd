"""Deterministic slices of a corpus, so a cluster scheduler can fan a build out.

A file belongs to shard ``I`` of ``N`` when a stable hash of its path, relative to
the folder it was found under, is ``I`` modulo ``N`` (``I`` counts from 0). The
hash depends on nothing but that relative path, so every machine computes the same
split, and adding or removing files never moves the other files between shards.
Each shard's documents go into their own named graphs, so the shards' stores
combine by named graph in any SPARQL 1.1 Graph Store server.

>>> parse_shard("0/4")
(0, 4)
>>> sum(in_shard("xiamen/000_a.txt", i, 4) for i in range(4))  # exactly one shard
1
>>> in_shard("docs/xiamen/a.txt", 1, 3, root="docs") == in_shard("xiamen/a.txt", 1, 3)
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

from kg.errors import PolicyKGError

SHARD_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``"I/N"`` (``0 <= I < N``) into ``(I, N)``; raise ``PolicyKGError`` otherwise.

    >>> parse_shard(" 2 / 3 ")
    (2, 3)
    >>> parse_shard("3/3")
    Traceback (most recent call last):
    ...
    kg.errors.PolicyKGError: --shard 3/3: the index must be between 0 and 2 (shards count from 0)
    """
    match = SHARD_PATTERN.match(text or "")
    if not match:
        raise PolicyKGError(f"--shard {text!r}: expected I/N, e.g. 0/4 for the first of four shards")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1:
        raise PolicyKGError(f"--shard {text.strip()}: the number of shards must be at least 1")
    if index >= count:
        raise PolicyKGError(
            f"--shard {text.strip()}: the index must be between 0 and {count - 1} (shards count from 0)"
        )
    return index, count


def shard_key(path: str | PurePath, root: str | PurePath | None = None) -> str:
    """The string a file is hashed by: its path relative to ``root``, with ``/`` separators.

    >>> shard_key("corpus/a/b.txt", root="corpus")
    'a/b.txt'
    >>> shard_key("a\\\\b.txt")
    'a/b.txt'
    """
    text = str(path).replace("\\", "/")
    if root is not None:
        root_text = str(root).replace("\\", "/").rstrip("/")
        if root_text in ("", "."):
            pass
        elif text == root_text:
            text = PurePath(text).name
        elif text.startswith(root_text + "/"):
            text = text[len(root_text) + 1:]
    while text.startswith("./"):
        text = text[2:]
    return text


def shard_of(path: str | PurePath, count: int, root: str | PurePath | None = None) -> int:
    """The shard (0 … count-1) that ``path`` belongs to.

    >>> shard_of("xiamen/000_a.txt", 1)
    0
    """
    if count < 1:
        raise ValueError(f"the number of shards must be at least 1, got {count}")
    digest = hashlib.sha256(shard_key(path, root).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def in_shard(path: str | PurePath, index: int, count: int, root: str | PurePath | None = None) -> bool:
    """Whether ``path`` (relative to ``root`` when given) is in shard ``index`` of ``count``."""
    if not 0 <= index < count:
        raise ValueError(f"shard index {index} is outside 0…{count - 1}")
    return shard_of(path, count, root) == index


def select_shard(paths: Iterable[Path], index: int, count: int, root: Path | None = None) -> list[Path]:
    """The paths of ``paths`` that fall into shard ``index`` of ``count``, in their order.

    >>> select_shard([Path("a.txt"), Path("b.txt")], 0, 1)
    [PosixPath('a.txt'), PosixPath('b.txt')]
    """
    return [path for path in paths if in_shard(path, index, count, root)]


def shard_documents(paths: Iterable[str | Path], index: int, count: int,
                    warn: Callable[[str], None] | None = None) -> list[Path]:
    """The documents under ``paths`` (folders walked as the build walks them) that fall into
    shard ``index`` of ``count``, each keyed by its path relative to the folder argument it
    was found under (a file argument is keyed by its name).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("a.txt", "b.txt", "c/d.txt"):
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("x", encoding="utf-8")
    >>> parts = [shard_documents([folder], i, 2) for i in range(2)]
    >>> sorted(p.relative_to(folder).as_posix() for part in parts for p in part)
    ['a.txt', 'b.txt', 'c/d.txt']
    """
    from kg.readers import iter_document_paths

    selected: list[Path] = []
    seen: set[Path] = set()
    for argument in paths:
        root = Path(argument)
        for path in iter_document_paths([root], warn):
            key = path.relative_to(root) if root.is_dir() else Path(path.name)
            if path not in seen and in_shard(key, index, count):
                seen.add(path)
                selected.append(path)
    return selected
