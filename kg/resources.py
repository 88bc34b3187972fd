"""Where the data folders are.

The folders ``ontology/``, ``queries/``, ``site/`` and ``corpus/`` sit at the top of
a source checkout (and of an editable install); a wheel ships them inside
``kg/_data/``. This is the only module that knows that.

>>> data_dir("queries").is_dir()
True
>>> data_path("ontology", "policykg.ttl").name
'policykg.ttl'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_FOLDERS = ("ontology", "queries", "site", "corpus")

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder holding the data set ``name`` (one of ``DATA_FOLDERS``)."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {DATA_FOLDERS}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from this installation")


def data_path(folder: str, *parts: str) -> Path:
    """Return the path of a file inside a data folder (it need not exist yet)."""
    return data_dir(folder).joinpath(*parts)


def default_corpus() -> Path:
    """The bundled sample corpus, used when no paths are given."""
    return data_dir("corpus") / "documents"
