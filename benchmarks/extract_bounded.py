"""Benchmark: the cost of the per-file time and memory bound (``extract/bounded.py``).

Extracts the same generated sample PDFs in-process and each in a forked child under the
default limits, alternating for ``--rounds`` rounds (the best time of each is kept: the
machine is shared), and prints files/s of both and the overhead per file. Then reads
PDF bombs (one page whose content stream inflates to ``--bomb-operators`` line drawings)
under the default limits and under ``--bomb-limit-mb``, printing the time, the reason and
the peak RSS of the child.

    .venv/bin/python benchmarks/extract_bounded.py
    .venv/bin/python benchmarks/extract_bounded.py --rounds 5 --bomb-operators 300000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jixiao.extract.api import extract_file  # noqa: E402
from jixiao.extract.bounded import Limits, extract_bounded, limits_from_env  # noqa: E402
from jixiao_devtools.samples import generate  # noqa: E402
from tests.test_bad_inbox import bomb_pdf  # noqa: E402


def _timed(files: list[Path], bounded: bool, limits: Limits) -> float:
    started = time.perf_counter()
    for path in files:
        if bounded:
            extract_bounded(lambda path=path: extract_file(path), str(path), "", limits)
        else:
            extract_file(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bomb-operators", type=int, default=300_000)
    parser.add_argument("--bomb-limit-mb", type=int, default=200)
    args = parser.parse_args()
    limits = limits_from_env({})
    with tempfile.TemporaryDirectory() as folder:
        files = sorted(p for p in generate(Path(folder)) if p.suffix == ".pdf")
        best = {"in-process": float("inf"), "bounded": float("inf")}
        for _ in range(args.rounds):
            best["in-process"] = min(best["in-process"], _timed(files, False, limits))
            best["bounded"] = min(best["bounded"], _timed(files, True, limits))
        overhead = (best["bounded"] - best["in-process"]) / len(files) * 1000
        print(f"{len(files)} sample PDFs, best of {args.rounds} rounds, limits {limits}")
        for name, seconds in best.items():
            print(f"  {name:10}  {seconds:6.2f} s  {len(files) / seconds:5.2f} files/s")
        per_file = best["in-process"] / len(files) * 1000
        share = overhead / per_file
        print(f"  overhead per file: {overhead:+.0f} ms ({share:+.1%} of {per_file:.0f} ms)")

        bomb = Path(folder) / "bomb.pdf"
        bomb.write_bytes(bomb_pdf(args.bomb_operators))
        print(f"bomb: {bomb.stat().st_size / 1024:.0f} KB, {args.bomb_operators} operators")
        for bomb_limits in (limits, Limits(limits.timeout_seconds, args.bomb_limit_mb)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            record = extract_bounded(lambda: extract_file(bomb), "bomb.pdf", "", bomb_limits)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            [first, *_] = [i for i in record["issues"] if i["severity"] == "error"] or [{}]
            print(
                f"  limits {bomb_limits.timeout_seconds:g} s / {bomb_limits.max_memory_mb} MB: "
                f"{seconds:5.1f} s, {first.get('code')}, child peak RSS "
                f"{max(peak, before) / 1024:.0f} MB (max of children so far)"
            )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process's peak RSS: {own:.0f} MB")


if __name__ == "__main__":
    main()
