"""The run report: one JSON document written to report.json, printed on stdout and logged to MLflow.

It is the TypeScript orchestrator's only view of the training, so it carries everything the gate and
the publication need (metrics, checksum, parity, feature order) and everything a person needs to
audit a model later (parameters, versions, resources).
"""

from __future__ import annotations

import platform
import resource
import sys
from importlib import metadata
from typing import Any

import lightgbm as lgb

LIBRARIES = ("lightgbm", "onnxmltools", "onnx", "onnxruntime", "numpy", "mlflow-skinny", "sqlalchemy", "alembic")


def library_versions() -> dict[str, str | None]:
    """Versions from the installed distributions (no import needed, so MLflow stays unloaded)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def peak_rss_mib() -> float:
    """Peak resident memory of this process; ru_maxrss is KiB on Linux (bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / divisor, 1)


def importance(booster: lgb.Booster, feature_names: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Gain and split counts by feature name, in feature order, so diffs between runs read naturally."""
    gain = booster.feature_importance(importance_type="gain")
    split = booster.feature_importance(importance_type="split")
    return {name: {"gain": float(g), "split": int(s)} for name, g, s in zip(feature_names, gain, split)}


def leaves_per_tree(model_text: str) -> list[int]:
    """Leaf counts straight from model.txt (cheaper than dump_model on hundreds of trees)."""
    return [int(line.split("=", 1)[1]) for line in model_text.split("\n") if line.startswith("num_leaves=")]


def json_params(params: dict[str, Any]) -> dict[str, Any]:
    """LightGBM params as JSON-safe values, sorted, for the report and MLflow."""
    return {key: params[key] for key in sorted(params)}
