"""Command line: `python -m streamrec_trainer train|record|metrics`.

The caller is a TypeScript process, so the contract is mechanical: exactly one JSON object on stdout
(the result, or {"error": …} on failure), human progress on stderr, and an exit code that says what
kind of failure happened (0 ok, 1 internal, 2 bad input, 3 ONNX parity, 4 MLflow). Native libraries
(LightGBM's C++ logger) may write to file descriptor 1 directly, so while a command runs fd 1 is
pointed at stderr and the result is printed only after it is restored.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from streamrec_trainer.errors import InputError, TrainerError

MAX_MEMBERS = 16
"""Most --ensemble members (each one trains a full model)."""

_STARTED = time.perf_counter()


class _Parser(argparse.ArgumentParser):
    """Argument errors become InputError so they get the same JSON error and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{self.prog}: {message}")


def log(message: str) -> None:
    """One progress line on stderr with the elapsed time, flushed so the orchestrator sees it live."""
    print(f"[streamrec-trainer {time.perf_counter() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def json_argument(option: str, value: str | None) -> dict[str, Any]:
    """Parses a JSON object given inline or as @path; anything else is an InputError naming the option."""
    if value is None:
        return {}
    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(f"{option}: cannot read {value[1:]} ({error.strerror})") from None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{option}: not valid JSON ({error})") from None
    if not isinstance(parsed, dict):
        raise InputError(f"{option}: expected a JSON object, got {type(parsed).__name__}")
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="streamrec_trainer", description="Train, check and record the streamrec ranker.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train LightGBM, export ONNX, check parity, write report",
                                description="Train the ranker from a streamrec-train-v1 dataset directory.")
    train.add_argument("--data", required=True, type=Path, help="dataset directory (meta.json + split files)")
    train.add_argument("--out", required=True, type=Path, help="output directory (created; our files replaced)")
    train.add_argument("--seed", type=int, default=42, help="seed for LightGBM (bagging, feature fraction)")
    train.add_argument("--objective", choices=("auto", "lambdarank", "rank_xendcg", "binary"), default="auto",
                       help="auto trains each objective and keeps the highest valid NDCG@10")
    train.add_argument("--params", help="JSON object (or @file) of LightGBM parameters over the defaults")
    train.add_argument("--threads", type=int, default=1, help="LightGBM threads (part of the determinism contract)")
    train.add_argument("--ensemble", type=int, default=1,
                       help="members averaged into the model, each trained on every positive and every "
                            "ensemble-th negative of a request (1 = one model on all rows)")
    train.add_argument("--mlflow-uri", help="sqlite:///path.db or http(s)://server; no MLflow when absent")
    train.add_argument("--mlflow-experiment", default="streamrec-ranker", help="experiment name")
    train.add_argument("--run-name", help="MLflow run name")
    train.add_argument("--tags", help="JSON object (or @file) of MLflow run tags")

    record = commands.add_parser("record", help="add the gate's results to an existing MLflow run",
                                 description="Log metrics, params and tags to an existing MLflow run.")
    record.add_argument("--mlflow-uri", required=True, help="the store the run lives in")
    record.add_argument("--run-id", required=True, help="MLflow run id (mlflow_run_id of the train report)")
    record.add_argument("--metrics", help="JSON object (or @file); nested objects are flattened with '.'")
    record.add_argument("--params", help="JSON object (or @file) of params (MLflow params cannot change)")
    record.add_argument("--tags", help="JSON object (or @file) of tags, e.g. the decision and its reason")

    metrics = commands.add_parser("metrics", help="NDCG@10, HR@10 and AUC of external scores",
                                  description="Compute the trainer's metrics for scores given as float64 per row.")
    metrics.add_argument("--data", required=True, type=Path, help="dataset directory")
    metrics.add_argument("--split", choices=("train", "valid", "holdout"), default="holdout")
    metrics.add_argument("--scores", required=True, type=Path, help="float64 little-endian file, one score per row")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Dispatches one parsed command; heavy libraries are imported only by the command that needs them."""
    if args.command == "metrics":
        return _metrics(args)
    if args.command == "record":
        from streamrec_trainer.tracking import record

        return record(args.mlflow_uri, args.run_id, json_argument("--metrics", args.metrics),
                      json_argument("--params", args.params), json_argument("--tags", args.tags))
    if args.threads < 1:
        raise InputError(f"--threads must be at least 1, got {args.threads}")
    if not 1 <= args.ensemble <= MAX_MEMBERS:
        raise InputError(f"--ensemble must be from 1 to {MAX_MEMBERS}, got {args.ensemble}")
    tags = {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in json_argument("--tags", args.tags).items()}
    from streamrec_trainer.pipeline import TrainOptions, train

    options = TrainOptions(data=args.data, out=args.out, seed=args.seed, objective=args.objective,
                           params=json_argument("--params", args.params), threads=args.threads,
                           ensemble=args.ensemble,
                           mlflow_uri=args.mlflow_uri, mlflow_experiment=args.mlflow_experiment,
                           run_name=args.run_name, tags=tags)
    return train(options, log)


def _metrics(args: argparse.Namespace) -> dict[str, Any]:
    from streamrec_trainer.dataset import load_split, read_meta, read_scores
    from streamrec_trainer.metrics import GroupedLabels

    meta = read_meta(args.data)
    split = load_split(args.data, meta, args.split, with_features=False)
    scores = read_scores(args.scores, split.rows)
    return {"split": args.split, **GroupedLabels(split.labels, split.groups).evaluate(scores).to_json()}


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Points fd 1 (and sys.stdout) at stderr for the duration; stdout stays clean for the result."""
    sys.stdout.flush()
    saved_fd = os.dup(1)
    saved_stdout = sys.stdout
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved_fd, 1)
        os.close(saved_fd)
        sys.stdout = saved_stdout


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command and returns the exit code (see the module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except InputError as error:
        return _fail(error.exit_code, error.kind, str(error))
    try:
        with _stdout_to_stderr():
            result = run(args)
    except TrainerError as error:
        return _fail(error.exit_code, error.kind, str(error))
    except Exception as error:  # noqa: BLE001 - last resort: still one JSON object and a distinct code
        traceback.print_exc(file=sys.stderr)
        return _fail(1, "internal", f"{type(error).__name__}: {error}")
    print(json.dumps(result), flush=True)
    return 0


def _fail(code: int, kind: str, message: str) -> int:
    print(f"streamrec-trainer: error: {message}", file=sys.stderr, flush=True)
    print(json.dumps({"error": {"kind": kind, "exit_code": code, "message": message}}), flush=True)
    return code


def entry_point() -> None:
    """Console-script and `python -m` entry: exit with main()'s code."""
    sys.exit(main())
