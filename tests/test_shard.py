"""kg.shard: deterministic corpus slices for --shard I/N."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import PolicyKGError
from kg.shard import in_shard, parse_shard, select_shard, shard_key, shard_of

PATHS = [f"city-{c}/{n:05d}_doc.txt" for c in range(7) for n in range(300)]


@pytest.mark.parametrize("text, expected", [("0/1", (0, 1)), ("3/4", (3, 4)), (" 1 / 2 ", (1, 2)), ("09/10", (9, 10))])
def test_parse_shard_accepts_index_over_count(text: str, expected: tuple[int, int]) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text, fragment", [
    ("", "expected I/N"), ("1", "expected I/N"), ("a/b", "expected I/N"), ("-1/3", "expected I/N"),
    ("1/0", "at least 1"), ("0/0", "at least 1"), ("4/4", "between 0 and 3"), ("1/2/3", "expected I/N"),
])
def test_parse_shard_rejects_bad_input_with_a_clear_message(text: str, fragment: str) -> None:
    with pytest.raises(PolicyKGError) as error:
        parse_shard(text)
    assert fragment in str(error.value)
    assert "--shard" in str(error.value)


@pytest.mark.parametrize("count", [1, 2, 3, 8])
def test_every_path_is_in_exactly_one_shard(count: int) -> None:
    for path in PATHS[:500]:
        assert sum(in_shard(path, index, count) for index in range(count)) == 1


def test_shards_are_balanced() -> None:
    sizes = Counter(shard_of(path, 4) for path in PATHS)
    assert set(sizes) == {0, 1, 2, 3}
    expected = len(PATHS) / 4
    assert all(abs(size - expected) < 0.1 * expected for size in sizes.values()), sizes


def test_adding_files_does_not_move_the_others() -> None:
    before = {path: shard_of(path, 5) for path in PATHS[:1000]}
    grown = PATHS[:1000] + [f"new/{n}.txt" for n in range(500)]
    after = {path: shard_of(path, 5) for path in grown}
    assert all(after[path] == shard for path, shard in before.items())


def test_assignment_is_stable_across_processes() -> None:
    """Python's own hash() is salted per process; the shard must not be."""
    code = "from kg.shard import shard_of; print([shard_of(f'x/{n}.txt', 7) for n in range(50)])"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
    assert runs.pop().strip() == str([shard_of(f"x/{n}.txt", 7) for n in range(50)])


def test_the_key_is_the_path_relative_to_its_root() -> None:
    assert shard_key(Path("/data/corpus/xiamen/a.txt"), root=Path("/data/corpus")) == "xiamen/a.txt"
    assert shard_key("corpus\\xiamen\\a.txt", root="corpus") == "xiamen/a.txt"
    assert shard_key("./xiamen/a.txt") == "xiamen/a.txt"
    for index in range(3):
        assert in_shard("/mnt/one/xiamen/a.txt", index, 3, root="/mnt/one") == in_shard(
            "/srv/two/xiamen/a.txt", index, 3, root="/srv/two/")


def test_select_shard_partitions_a_list_and_keeps_order() -> None:
    paths = [Path(p) for p in PATHS[:200]]
    parts = [select_shard(paths, index, 3) for index in range(3)]
    assert sorted(sum(parts, []), key=paths.index) == paths
    for part in parts:
        assert part == sorted(part, key=paths.index)


def test_in_shard_rejects_an_index_outside_the_count() -> None:
    with pytest.raises(ValueError):
        in_shard("a.txt", 3, 3)


# --- the command line -------------------------------------------------------------

def test_shard_documents_partitions_a_folder_by_relative_path(corpus_dir: Path, tmp_path: Path) -> None:
    from kg.shard import shard_documents

    copy = tmp_path / "elsewhere"
    copy.mkdir()
    for path in corpus_dir.glob("*.txt"):
        (copy / path.name).write_bytes(path.read_bytes())
    for count in (1, 2, 3):
        parts = [shard_documents([corpus_dir], index, count) for index in range(count)]
        assert sorted(p.name for part in parts for p in part) == sorted(p.name for p in corpus_dir.glob("*.txt"))
        moved = [shard_documents([copy], index, count) for index in range(count)]
        assert [[p.name for p in part] for part in moved] == [[p.name for p in part] for part in parts]


def test_extract_rejects_a_bad_shard_as_a_usage_error() -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["extract", "--shard", "2/2"])
    assert result.exit_code == 2
    assert "between 0 and 1" in result.output
    assert "Traceback" not in result.output


def test_extract_prints_only_the_documents_of_its_shard(corpus_dir: Path) -> None:
    import json

    from click.testing import CliRunner

    from kg.cli import cli
    from kg.shard import shard_documents

    count = 5
    sizes = {index: len(shard_documents([corpus_dir], index, count)) for index in range(count)}
    index = next(i for i, size in sizes.items() if size == 1)
    expected = shard_documents([corpus_dir], index, count)[0].name
    result = CliRunner().invoke(cli, ["extract", str(corpus_dir), "--shard", f"{index}/{count}"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["document"]["source"]["file"] == expected
    empty = next((i for i, size in sizes.items() if size == 0), None)
    if empty is not None:
        nothing = CliRunner().invoke(cli, ["extract", str(corpus_dir), "--shard", f"{empty}/{count}"])
        assert nothing.exit_code == 0
        assert json.loads(nothing.stdout) == []


def test_build_shards_partition_the_corpus(corpus_dir: Path) -> None:
    """`policykg build --shard I/N`: the shards' stores hold disjoint documents that together are the corpus."""
    from pyoxigraph import Store

    from kg.build import build_corpus
    from kg.shard import shard_documents

    built = []
    for index in range(2):
        store = Store()
        summary = build_corpus([corpus_dir], store_dir=None, store=store, workers=1, validate=False,
                               progress=False, shard=(index, 2))
        expected = len(shard_documents([corpus_dir], index, 2))
        assert summary.built == expected
        graphs = {str(quad.graph_name) for quad in store.quads_for_pattern(None, None, None)
                  if "/eli/" in str(quad.graph_name)}
        built.append(graphs)
    assert not built[0] & built[1]
    assert sum(len(shard_documents([corpus_dir], i, 2)) for i in range(2)) == len(list(corpus_dir.glob("*.txt")))
