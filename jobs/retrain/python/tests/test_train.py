"""The train command end to end on a dataset with a planted signal."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import onnxruntime as ort
import pytest
from reference import ndcg_at_10 as reference_ndcg
from synthetic import fast_params

from streamrec_trainer.training import Candidate, choose

TRAIN_ARGS = ("--seed", "11", "--threads", "1", "--params", fast_params())
SCRIPT = textwrap.dedent("""
    import sys
    from streamrec_trainer.cli import main
    code = main(sys.argv[1:])
    print("mlflow imported:", "mlflow" in sys.modules, file=sys.stderr)
    sys.exit(code)
""")


def run_process(data: Path, out: Path, hash_seed: str) -> subprocess.CompletedProcess[str]:
    """`train` in a fresh interpreter with a given PYTHONHASHSEED (set/dict order must not leak into bytes;
    seed 20 is one under which onnxmltools emitted its opset list in the other order)."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-c", SCRIPT, "train", "--data", str(data), "--out", str(out), *TRAIN_ARGS],
                          check=False, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="session")
def trained(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real `train --objective auto` in a separate process; also records whether MLflow was imported."""
    out = tmp_path_factory.mktemp("trained")
    process = run_process(planted, out, hash_seed="20")
    assert process.returncode == 0, process.stderr
    return {"out": out, "stdout": process.stdout, "stderr": process.stderr, "report": json.loads(process.stdout)}


def read_split(data: Path, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    meta = json.loads((data / "meta.json").read_text())
    width = len(meta["feature_names"])
    features = np.fromfile(data / f"{split}.features.f32", dtype="<f4").reshape(-1, width)
    labels = np.fromfile(data / f"{split}.labels.f32", dtype="<f4")
    groups = np.fromfile(data / f"{split}.groups.u32", dtype="<u4")
    return features, labels, groups


def test_stdout_is_the_report_and_mlflow_untouched(trained: dict[str, Any]) -> None:
    assert trained["stdout"].count("\n") == 1, "stdout must hold exactly one JSON line"
    assert json.loads((trained["out"] / "report.json").read_text()) == trained["report"]
    assert "mlflow imported: False" in trained["stderr"]
    assert "parity on" in trained["stderr"]  # progress goes to stderr


def test_report_contents(trained: dict[str, Any], planted: Path) -> None:
    report = trained["report"]
    meta = json.loads((planted / "meta.json").read_text())
    assert report["format"] == "streamrec-trainer-report-v1"
    assert report["feature_names"] == meta["feature_names"]
    assert list(report["feature_importance"]) == meta["feature_names"]
    assert report["feature_importance"]["f00"]["gain"] > report["feature_importance"]["f11"]["gain"]
    assert report["data"] == {split: {"rows": info["rows"], "groups": info["groups"]} for split, info in meta["splits"].items()}
    assert report["num_trees"] == report["best_iteration"] > 0
    assert report["params"]["deterministic"] is True and report["params"]["seed"] == 11
    lambdarank = report["objective"]["chosen"] == "lambdarank"
    assert report["params"].get("label_gain") == ([0.0, 1.0, 3.0, 7.0, 15.0, 31.0] if lambdarank else None)
    onnx_bytes = (trained["out"] / "model.onnx").read_bytes()
    assert report["onnx"]["sha256"] == hashlib.sha256(onnx_bytes).hexdigest()
    assert report["onnx"]["size_bytes"] == len(onnx_bytes)
    assert report["parity"]["max_abs_diff"] <= 1e-5
    assert report["mlflow_run_id"] is None
    assert report["peak_rss_mib"] > 0 and report["train_seconds"] > 0
    assert report["versions"]["lightgbm"] == "4.7.0"
    for split in ("valid", "holdout"):
        assert set(report["metrics"][split]) == {"ndcg_at_10", "hr_at_10", "auc", "groups_evaluated", "groups", "rows"}


def test_planted_signal_beats_random_ranking(trained: dict[str, Any], planted: Path) -> None:
    _, labels, groups = read_split(planted, "holdout")
    rng = np.random.default_rng(0)
    random_ndcg = np.mean([reference_ndcg(rng.random(labels.shape[0]).tolist(), labels.tolist(), groups.tolist())[0]
                           for _ in range(20)])
    holdout = trained["report"]["metrics"]["holdout"]
    assert holdout["ndcg_at_10"] > random_ndcg + 0.15, (holdout, random_ndcg)
    assert holdout["auc"] > 0.8


def test_files_agree_with_lightgbm_and_onnxruntime(trained: dict[str, Any], planted: Path) -> None:
    features, _, _ = read_split(planted, "holdout")
    out = trained["out"]
    saved = np.fromfile(out / "holdout.lgbm.f64", dtype="<f8")
    booster = lgb.Booster(model_file=str(out / "model.txt"))
    assert np.array_equal(saved, booster.predict(features, raw_score=True))
    session = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["features"]
    assert session.get_inputs()[0].shape[1] == features.shape[1]
    assert [o.name for o in session.get_outputs()] == ["score"]
    scores = session.run(["score"], {"features": features})[0]
    assert scores.shape == (features.shape[0], 1) and scores.dtype == np.float32
    assert float(np.max(np.abs(scores[:, 0] - saved))) <= 1e-5


def test_auto_keeps_the_better_candidate(trained: dict[str, Any]) -> None:
    section = trained["report"]["objective"]
    assert set(section["candidates"]) == {"lambdarank", "rank_xendcg", "binary"}
    best = max(section["candidates"], key=lambda name: section["candidates"][name]["valid_ndcg_at_10"])
    assert section["chosen"] == best
    assert trained["report"]["metrics"]["valid"]["ndcg_at_10"] == pytest.approx(
        section["candidates"][best]["valid_ndcg_at_10"], abs=1e-12)


def test_choose_prefers_higher_ndcg_and_lambdarank_on_ties() -> None:
    def fake(objective: str, ndcg: float) -> Candidate:
        return Candidate(objective=objective, booster=None, params={}, best_iteration=1,  # type: ignore[arg-type]
                         valid_ndcg_at_10=ndcg, seconds=0.0)

    assert choose([fake("lambdarank", 0.5), fake("binary", 0.6)]).objective == "binary"
    assert choose([fake("lambdarank", 0.6), fake("binary", 0.5)]).objective == "lambdarank"
    assert choose([fake("lambdarank", 0.5), fake("binary", 0.5)]).objective == "lambdarank"
    assert choose([fake("lambdarank", 0.5), fake("rank_xendcg", 0.7), fake("binary", 0.6)]).objective == "rank_xendcg"
    assert choose([fake("lambdarank", 0.5), fake("rank_xendcg", 0.5), fake("binary", 0.5)]).objective == "lambdarank"


def test_same_data_and_settings_give_identical_bytes(trained: dict[str, Any], planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("train", "--data", str(planted), "--out", str(tmp_path / "in-process"), *TRAIN_ARGS)
    assert result.code == 0
    assert run_process(planted, tmp_path / "seed0", hash_seed="0").returncode == 0
    for name in ("model.onnx", "model.txt", "holdout.lgbm.f64"):
        expected = (trained["out"] / name).read_bytes()
        assert (tmp_path / "in-process" / name).read_bytes() == expected, name
        assert (tmp_path / "seed0" / name).read_bytes() == expected, name
    assert result.output["onnx"]["sha256"] == trained["report"]["onnx"]["sha256"]


def test_metrics_command_agrees_with_report(trained: dict[str, Any], planted: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("metrics", "--data", str(planted), "--split", "holdout", "--scores", str(trained["out"] / "holdout.lgbm.f64"))
    assert result.code == 0
    assert {key: value for key, value in result.output.items() if key != "split"} == trained["report"]["metrics"]["holdout"]


def test_binary_exports_raw_scores(planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("train", "--data", str(planted), "--out", str(tmp_path), "--objective", "binary", *TRAIN_ARGS)
    assert result.code == 0
    assert list(result.output["objective"]["candidates"]) == ["binary"]
    assert "label_gain" not in result.output["params"]
    saved = np.fromfile(tmp_path / "holdout.lgbm.f64", dtype="<f8")
    assert saved.min() < 0.0 or saved.max() > 1.0, "raw log-odds, not probabilities"
    features, _, _ = read_split(planted, "holdout")
    session = ort.InferenceSession(str(tmp_path / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["score"]
    assert float(np.max(np.abs(session.run(None, {"features": features})[0][:, 0] - saved))) <= 1e-5


def test_failed_run_leaves_no_stale_model(trained: dict[str, Any], planted: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    for name in ("model.onnx", "model.txt", "report.json", "holdout.lgbm.f64"):
        (tmp_path / name).write_bytes((trained["out"] / name).read_bytes())
    result = cli("train", "--data", str(tmp_path / "absent"), "--out", str(tmp_path))
    assert result.code == 2
    assert not any((tmp_path / name).exists() for name in ("model.onnx", "model.txt", "report.json", "holdout.lgbm.f64"))
