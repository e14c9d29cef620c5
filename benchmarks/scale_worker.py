"""Entry point of one scale measurement in its own process (``python -m benchmarks.scale_worker``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.questions import load_questions
from benchmarks.scale import measure_point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="Reuse a kept index of this size (see scale.py).")
    args = parser.parse_args(argv)
    if args.factor < 1 or args.repetitions < 1:
        parser.error("--factor and --repetitions must be at least 1")
    point = measure_point(args.factor, args.data_dir, load_questions(args.questions), args.repetitions, args.reuse)
    sys.stdout.write(point.model_dump_json() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
