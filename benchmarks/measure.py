"""Timing, peak memory and machine description for the benchmark harness.

Every heavy step runs as a child process so its peak memory can be measured:
``run_monitored`` polls the resident set size of the child *and all its
descendants* (worker pools included) and keeps the largest sum it saw, and it
cross-checks with ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single
process).

>>> median([3.0, 1.0, 2.0])
2.0
>>> median([])
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import psutil

PACKAGES = ("policykg", "spacy", "jieba", "pyoxigraph", "rdflib", "pyshacl", "jinja2", "pagefind", "psutil",
            "pyinstrument")


@dataclass
class RunResult:
    command: list[str]
    seconds: float
    returncode: int
    peak_rss: int  # bytes: the largest sum of RSS over the process tree seen while polling
    peak_single_rss: int  # bytes: the largest ru_maxrss of any child process (getrusage)
    stdout: str
    stderr: str
    timed_out: bool = False
    payload: dict = field(default_factory=dict)  # the JSON a stage worker printed last

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def error_line(self) -> str:
        lines = [line for line in (self.stderr or self.stdout).strip().splitlines() if line.strip()]
        reason = "timed out" if self.timed_out else f"exit code {self.returncode}"
        return f"{reason}: {lines[-1][:300]}" if lines else reason


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return float(statistics.median(values)) if values else None


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        processes = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for each in processes:
        try:
            total += each.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_monitored(command: list[str], timeout: float | None = None, cwd: Path | None = None,
                  env: dict[str, str] | None = None, poll: float = 0.05,
                  timeline: list[tuple[float, int, int]] | None = None) -> RunResult:
    """Run ``command``, returning wall time, exit code, output and peak tree RSS.
    ``timeline`` receives (seconds, RSS of the process, RSS of its descendants) at every poll."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", errors="replace")
    output: dict[str, str] = {}

    def drain(name: str, stream) -> None:  # noqa: ANN001 - a text stream
        output[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(name, stream), daemon=True)
               for name, stream in (("stdout", child.stdout), ("stderr", child.stderr))]
    for reader in readers:
        reader.start()
    peak = 0
    timed_out = False
    try:
        watched = psutil.Process(child.pid)
    except psutil.Error:
        watched = None
    while child.poll() is None:
        if watched is not None:
            tree = _tree_rss(watched)
            peak = max(peak, tree)
            if timeline is not None:
                try:
                    own = watched.memory_info().rss
                except psutil.Error:
                    own = 0
                timeline.append((time.perf_counter() - started, own, max(0, tree - own)))
        if timeout is not None and time.perf_counter() - started > timeout:
            timed_out = True
            _kill_tree(child.pid)
            break
        time.sleep(poll)
    child.wait()
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is in KiB on Linux; it only tells us about the largest child so far.
    single = after * 1024 if after > before else 0
    result = RunResult(command, seconds, child.returncode, max(peak, single), single,
                       output.get("stdout", ""), output.get("stderr", ""), timed_out)
    result.payload = last_json(result.stdout)
    return result


def _kill_tree(pid: int) -> None:
    try:
        parent = psutil.Process(pid)
        for each in parent.children(recursive=True) + [parent]:
            try:
                each.kill()
            except psutil.Error:
                pass
    except psutil.Error:
        pass


def last_json(text: str) -> dict:
    """The last line of ``text`` that is a JSON object (how stage workers report)."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    return {}


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``folder``."""
    total, files = 0, 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
                files += 1
            except OSError:
                pass
    return total, files


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict:
    """CPU, cores, memory, OS, Python and the versions of the packages that matter."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores_logical": psutil.cpu_count(logical=True),
        "cores_physical": psutil.cpu_count(logical=False),
        "cores_usable": affinity,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "packages": versions,
    }
