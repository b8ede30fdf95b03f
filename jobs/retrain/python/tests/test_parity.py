"""ONNX export parity: the FACTS.md worst case, the float32 threshold trap, missing values, exit 3."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import onnxruntime as ort
import pytest
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType
from synthetic import fast_params, write_dataset

from streamrec_trainer import export

NAMES = tuple(f"x{index}" for index in range(5))


def onnx_scores(onnx_bytes: bytes, features: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: features})[0][:, 0].astype(np.float64)


def test_worst_case_model_300_trees_63_leaves_80_features(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = write_dataset(tmp_path / "data", rows=(3000, 600, 1000), features=80, seed=1)
    params = {"num_iterations": 300, "early_stopping_round": 0, "num_leaves": 63, "min_data_in_leaf": 5,
              "max_bin": 63, "learning_rate": 0.1}
    result = cli("train", "--data", str(data), "--out", str(tmp_path / "out"), "--objective", "lambdarank",
                 "--threads", "1", "--params", json.dumps(params))
    assert result.code == 0, result.output
    report = result.output
    assert report["num_trees"] == 300
    assert report["num_leaves"]["max"] == 63 and report["num_leaves"]["mean"] > 60
    assert report["onnx"]["tree_ensemble_nodes"] == 300 // export.TREES_PER_NODE
    assert report["parity"]["max_abs_diff"] <= 1e-5
    # Independent check: the holdout scores LightGBM wrote vs onnxruntime run here.
    features = np.fromfile(data / "holdout.features.f32", dtype="<f4").reshape(-1, 80)
    saved = np.fromfile(tmp_path / "out" / "holdout.lgbm.f64", dtype="<f8")
    onnx_bytes = (tmp_path / "out" / "model.onnx").read_bytes()
    assert float(np.max(np.abs(onnx_scores(onnx_bytes, features) - saved))) <= 1e-5


def adjacent_float_data(rows: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Feature values 1 + k·ulp: LightGBM's midpoint thresholds then fall exactly between two floats."""
    rng = np.random.default_rng(5)
    steps = rng.integers(0, 300, size=(rows, len(NAMES)))
    features = (np.float32(1.0) + steps.astype(np.float32) * np.float32(2.0**-23)).astype(np.float32)
    target = (steps[:, 0] % 7) + (steps[:, 1] % 3) + rng.normal(scale=0.1, size=rows)
    return features, target


def small_booster(features: np.ndarray, target: np.ndarray) -> lgb.Booster:
    params = {"objective": "regression", "num_leaves": 15, "min_data_in_leaf": 5, "max_bin": 1023,
              "verbosity": -1, "deterministic": True, "num_threads": 1, "seed": 1}
    return lgb.train(params, lgb.Dataset(features, target), num_boost_round=30)


def test_float32_thresholds_would_break_parity_and_snapping_fixes_it() -> None:
    features, target = adjacent_float_data()
    booster = small_booster(features, target)
    plain = convert_lightgbm(booster, name="plain", initial_types=[("input", FloatTensorType([None, len(NAMES)]))],
                             target_opset=15).SerializeToString()
    naive_gap = float(np.max(np.abs(onnx_scores(plain, features) - booster.predict(features, raw_score=True))))
    assert naive_gap > 1e-2, "the trap this test guards against did not occur; the data no longer triggers it"
    snapped = export.snapped_booster(booster, features, threads=1)  # raises if LightGBM's scores moved
    parity = export.check_parity(export.to_onnx(snapped, NAMES, "regression"), snapped, features, threads=1)
    assert parity.max_abs_diff <= 1e-5


def test_missing_values_only_seen_at_inference() -> None:
    """A feature without NaN in training (LightGBM missing type None: NaN is read as 0) and with NaN later."""
    rng = np.random.default_rng(9)
    features = rng.normal(size=(3000, len(NAMES))).astype(np.float32)
    target = features[:, 0] * 2 + np.abs(features[:, 1]) + rng.normal(scale=0.1, size=3000)
    booster = export.snapped_booster(small_booster(features, target), features, threads=1)
    probe = rng.normal(size=(2000, len(NAMES))).astype(np.float32)
    probe[rng.random(probe.shape) < 0.3] = np.nan
    probe[:50, :] = 0.0  # exact zeros sit next to LightGBM's zero bin boundaries
    parity = export.check_parity(export.to_onnx(booster, NAMES, "regression"), booster, probe, threads=1)
    assert parity.max_abs_diff <= 1e-5


@pytest.mark.parametrize("objective", ["lambdarank", "rank_xendcg", "binary"])
def test_every_objective_exports_its_raw_score(objective: str, planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("train", "--data", str(planted), "--out", str(tmp_path), "--objective", objective,
                 "--params", fast_params(num_iterations=30))
    assert result.code == 0, result.output
    assert result.output["objective"]["chosen"] == objective
    assert result.output["parity"]["max_abs_diff"] <= 1e-5


def test_parity_failure_exits_3_and_writes_no_model(planted: Path, tmp_path: Path, cli,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "PARITY_BOUND", -1.0)
    result = cli("train", "--data", str(planted), "--out", str(tmp_path), "--objective", "binary",
                 "--params", fast_params(num_iterations=20))
    assert result.code == 3
    assert result.output["error"]["kind"] == "parity"
    assert "differ from LightGBM raw scores" in result.output["error"]["message"]
    assert not (tmp_path / "model.onnx").exists() and not (tmp_path / "report.json").exists()


def test_snap_thresholds_lowers_to_float32_and_keeps_categorical() -> None:
    text = "Tree=0\nthreshold=0.10000000000000001 1.0000000596046448 7\ndecision_type=2 2 1\nleft_child=1\n"
    snapped = export.snap_thresholds(text).split("\n")[1].split("=")[1].split()
    low = float(np.float32(0.1))  # 0.100000001490116..., above 0.1: must step down one float32
    assert float(snapped[0]) == float(np.nextafter(np.float32(low), np.float32(0))) and float(snapped[0]) <= 0.1
    assert float(snapped[1]) == 1.0  # halfway between 1 and its next float32 rounds down to 1.0
    assert snapped[2] == "7"  # categorical (decision_type bit 0): untouched
