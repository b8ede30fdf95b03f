"""The `train` command end to end: load → train candidates → choose → export → parity → write → track.

Files are written only after the parity check passed, and report.json is written last, so a reader
that sees report.json sees a complete, verified model; stale outputs of an earlier run in the same
folder are removed first so a failed run can never leave an old model looking current.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx

from streamrec_trainer import REPORT_FORMAT, __version__
from streamrec_trainer.dataset import load_dataset
from streamrec_trainer.errors import InputError
from streamrec_trainer.export import (
    INPUT_NAME,
    OUTPUT_NAME,
    PARITY_BOUND,
    TARGET_OPSET,
    TREES_PER_NODE,
    check_parity,
    sha256,
    snapped_booster,
    to_onnx,
)
from streamrec_trainer.metrics import GroupedLabels
from streamrec_trainer.report import importance, json_params, leaves_per_tree, library_versions, peak_rss_mib
from streamrec_trainer.training import (
    OBJECTIVES,
    Candidate,
    choose,
    objective_params,
    resolve_params,
    route_lightgbm_logs,
    train_candidate,
)

OUTPUT_FILES = ("model.onnx", "model.txt", "holdout.lgbm.f64", "report.json")


@dataclass(frozen=True)
class TrainOptions:
    """Parsed `train` arguments."""

    data: Path
    out: Path
    seed: int = 42
    objective: str = "auto"
    params: dict[str, Any] = field(default_factory=dict)
    threads: int = 1
    ensemble: int = 1
    mlflow_uri: str | None = None
    mlflow_experiment: str = "streamrec-ranker"
    run_name: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def train(options: TrainOptions, log: Callable[[str], None]) -> dict[str, Any]:
    """Runs the whole command and returns the report (also written to report.json)."""
    started = time.perf_counter()
    try:
        options.out.mkdir(parents=True, exist_ok=True)
        for name in OUTPUT_FILES:
            (options.out / name).unlink(missing_ok=True)
    except OSError as error:
        raise InputError(f"--out {options.out}: cannot prepare the output folder ({error.strerror or error})") from None
    route_lightgbm_logs()
    base, rounds, patience = resolve_params(options.params, seed=options.seed, threads=options.threads,
                                           members=options.ensemble)
    meta, splits = load_dataset(options.data)
    names = meta.feature_names
    train_split, valid, holdout = splits["train"], splits["valid"], splits["holdout"]
    assert train_split.features is not None and valid.features is not None and holdout.features is not None
    log(f"dataset {options.data}: " + ", ".join(f"{s.name} {s.rows} rows / {s.groups.shape[0]} groups"
                                                for s in splits.values()) + f", {len(names)} features")

    max_grade = int(train_split.labels.max())
    objectives = OBJECTIVES if options.objective == "auto" else (options.objective,)
    candidates = [train_candidate(objective, objective_params(objective, base, max_grade), names, rounds,
                                  patience, train_split, valid, log, members=options.ensemble)
                  for objective in objectives]
    chosen = choose(candidates)
    log(f"chosen objective: {chosen.objective}")

    booster = snapped_booster(chosen.booster, holdout.features, options.threads)
    model_text = booster.model_to_string()
    onnx_bytes = to_onnx(booster, names, chosen.objective)
    parity = check_parity(onnx_bytes, booster, holdout.features, options.threads)
    log(f"parity on {parity.rows} holdout rows: max |Δ| {parity.max_abs_diff:.3g} (bound {PARITY_BOUND:g})")

    valid_scores = np.asarray(booster.predict(valid.features, raw_score=True, num_threads=options.threads))
    metrics = {
        "valid": GroupedLabels(valid.labels, valid.groups).evaluate(valid_scores).to_json(),
        "holdout": GroupedLabels(holdout.labels, holdout.groups).evaluate(parity.lightgbm_scores).to_json(),
    }
    (options.out / "model.txt").write_text(model_text, encoding="utf-8")
    (options.out / "model.onnx").write_bytes(onnx_bytes)
    parity.lightgbm_scores.astype("<f8").tofile(options.out / "holdout.lgbm.f64")

    leaves = leaves_per_tree(model_text)
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "trainer_version": __version__,
        "objective": _objective_section(options.objective, candidates, chosen),
        "params": json_params(chosen.params),
        "max_rounds": rounds,
        "early_stopping_rounds": patience,
        "best_iteration": chosen.best_iteration,
        "ensemble": {"members": options.ensemble, "member_best_iterations": list(chosen.member_iterations),
                     "member_valid_ndcg_at_10": list(chosen.member_valid_ndcg_at_10),
                     "combination": "mean of the members' raw scores, stored as one model (leaf values / members)"},
        "num_trees": booster.num_trees(),
        "num_leaves": {"param": chosen.params.get("num_leaves"), "max": max(leaves, default=0),
                       "mean": round(float(np.mean(leaves)), 2) if leaves else 0.0},
        "feature_names": list(names),
        "feature_importance": importance(booster, names),
        "metrics": metrics,
        "data": {s.name: {"rows": s.rows, "groups": int(s.groups.shape[0])} for s in splits.values()},
        "seed": options.seed,
        "threads": options.threads,
        "train_seconds": round(sum(c.seconds for c in candidates), 3),
        "total_seconds": 0.0,
        "peak_rss_mib": 0.0,
        "onnx": _onnx_section(onnx_bytes, len(names)),
        "model_txt_sha256": sha256(model_text.encode("utf-8")),
        "parity": {"split": "holdout", "rows": parity.rows, "max_abs_diff": parity.max_abs_diff,
                   "bound": PARITY_BOUND, "lightgbm_scores_file": "holdout.lgbm.f64"},
        "versions": library_versions(),
        "mlflow_run_id": None,
        "mlflow_experiment_id": None,
    }
    finish = None
    if options.mlflow_uri:
        finish = _track(options, report)
    report["peak_rss_mib"] = peak_rss_mib()
    report["total_seconds"] = round(time.perf_counter() - started, 3)
    (options.out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if finish is not None:
        finish([options.out / "report.json"])
        log(f"MLflow run {report['mlflow_run_id']} finished")
    return report


def _objective_section(mode: str, candidates: list[Candidate], chosen: Candidate) -> dict[str, Any]:
    scores = ", ".join(f"{c.objective} {c.valid_ndcg_at_10:.5f}" for c in candidates)
    if mode == "auto":
        reason = f"auto: highest valid NDCG@10 ({scores}); ties keep the earlier of lambdarank, rank_xendcg, binary"
    else:
        reason = f"requested with --objective {mode} (valid NDCG@10 {scores})"
    return {
        "mode": mode,
        "chosen": chosen.objective,
        "reason": reason,
        "candidates": {c.objective: {"valid_ndcg_at_10": c.valid_ndcg_at_10, "best_iteration": c.best_iteration,
                                     "member_best_iterations": list(c.member_iterations),
                                     "train_seconds": round(c.seconds, 3)} for c in candidates},
    }


def _onnx_section(onnx_bytes: bytes, width: int) -> dict[str, Any]:
    model = onnx.load_from_string(onnx_bytes)
    return {
        "file": "model.onnx",
        "sha256": sha256(onnx_bytes),
        "size_bytes": len(onnx_bytes),
        "input": {"name": INPUT_NAME, "type": "float32", "shape": [None, width]},
        "output": {"name": OUTPUT_NAME, "type": "float32", "shape": [None, 1],
                   "meaning": "LightGBM raw score, booster.predict(raw_score=True); higher ranks first"},
        "target_opset": TARGET_OPSET,
        "opset_imports": {entry.domain or "ai.onnx": entry.version for entry in model.opset_import},
        "max_trees_per_node": TREES_PER_NODE,
        "tree_ensemble_nodes": sum(1 for node in model.graph.node if node.op_type == "TreeEnsembleRegressor"),
    }


def _track(options: TrainOptions, report: dict[str, Any]) -> Callable[[list[Path]], None]:
    from streamrec_trainer.tracking import log_training_run

    metrics: dict[str, float | int | None] = {
        f"{split}.{key}": value for split, block in report["metrics"].items() for key, value in block.items()
    }
    for objective, candidate in report["objective"]["candidates"].items():
        metrics[f"candidate.{objective}.valid_ndcg_at_10"] = candidate["valid_ndcg_at_10"]
    metrics.update({
        "best_iteration": report["best_iteration"], "num_trees": report["num_trees"],
        "train_seconds": report["train_seconds"], "parity_max_abs_diff": report["parity"]["max_abs_diff"],
        "onnx_size_bytes": report["onnx"]["size_bytes"], "peak_rss_mib": peak_rss_mib(),
    })
    params: dict[str, Any] = {**report["params"], "objective_mode": options.objective,
                              "max_rounds": report["max_rounds"], "early_stopping_rounds": report["early_stopping_rounds"],
                              "ensemble_members": options.ensemble,
                              "feature_count": len(report["feature_names"])}
    params.update({f"data.{split}.{key}": value for split, block in report["data"].items() for key, value in block.items()})
    tags = {**options.tags, "streamrec.objective": report["objective"]["chosen"],
            "streamrec.onnx_sha256": report["onnx"]["sha256"], "streamrec.report_format": REPORT_FORMAT}
    run_id, experiment_id, finish = log_training_run(
        options.mlflow_uri or "", options.mlflow_experiment, options.run_name, params, metrics, tags,
        json_artifacts={"feature_names.json": {"feature_names": report["feature_names"]},
                        "feature_importance.json": report["feature_importance"]},
        files=[options.out / "model.onnx", options.out / "model.txt"],
    )
    report["mlflow_run_id"] = run_id
    report["mlflow_experiment_id"] = experiment_id
    return finish
