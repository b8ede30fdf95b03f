"""MLflow tracking in a SQLite store under tmp: the training run, then the gate's `record`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from synthetic import fast_params


@pytest.fixture(scope="module")
def tracked(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One tracked training run (in-process; main() needs no capsys when stdout is parsed from a file)."""
    import contextlib
    import io

    from streamrec_trainer.cli import main

    root = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{root / 'store' / 'mlflow.db'}"  # absolute path: sqlite:////…
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["train", "--data", str(planted), "--out", str(root / "out"), "--objective", "binary",
                     "--params", fast_params(), "--mlflow-uri", uri, "--mlflow-experiment", "ranker-test",
                     "--run-name", "nightly", "--tags", json.dumps({"trigger": "test", "attempt": 1})])
    assert code == 0, stdout.getvalue()
    from mlflow.tracking import MlflowClient

    return {"root": root, "uri": uri, "report": json.loads(stdout.getvalue()), "client": MlflowClient(uri)}


def test_training_run_has_params_metrics_tags_and_artifacts(tracked: dict[str, Any]) -> None:
    report, client = tracked["report"], tracked["client"]
    run = client.get_run(report["mlflow_run_id"])
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "nightly"
    assert client.get_experiment(run.info.experiment_id).name == "ranker-test"
    assert run.data.params["objective"] == "binary"
    assert run.data.params["learning_rate"] == "0.02"
    assert run.data.params["data.train.rows"] == str(report["data"]["train"]["rows"])
    assert run.data.metrics["holdout.ndcg_at_10"] == pytest.approx(report["metrics"]["holdout"]["ndcg_at_10"])
    assert run.data.metrics["parity_max_abs_diff"] <= 1e-5
    assert "candidate.binary.valid_ndcg_at_10" in run.data.metrics
    assert run.data.tags["trigger"] == "test" and run.data.tags["attempt"] == "1"
    assert run.data.tags["streamrec.onnx_sha256"] == report["onnx"]["sha256"]
    artifacts = {item.path for item in client.list_artifacts(run.info.run_id)}
    assert artifacts == {"model.onnx", "model.txt", "report.json", "feature_names.json", "feature_importance.json"}


def test_artifacts_live_beside_the_sqlite_file(tracked: dict[str, Any]) -> None:
    report = tracked["report"]
    artifacts = tracked["root"] / "store" / "mlartifacts" / report["mlflow_run_id"] / "artifacts"
    assert hashlib.sha256((artifacts / "model.onnx").read_bytes()).hexdigest() == report["onnx"]["sha256"]
    logged_report = json.loads((artifacts / "report.json").read_text())
    assert logged_report["mlflow_run_id"] == report["mlflow_run_id"]
    names = json.loads((artifacts / "feature_names.json").read_text())
    assert names == {"feature_names": report["feature_names"]}


def test_record_adds_gate_results(tracked: dict[str, Any], tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run_id = tracked["report"]["mlflow_run_id"]
    gate = {"challenger": {"holdout": {"ndcg_at_10": 0.41, "auc": None}}, "champion": {"holdout": {"ndcg_at_10": 0.39}}}
    (tmp_path / "gate.json").write_text(json.dumps(gate))
    result = cli("record", "--mlflow-uri", tracked["uri"], "--run-id", run_id, "--metrics", f"@{tmp_path / 'gate.json'}",
                 "--params", '{"gate.min_uplift": 0.01}',
                 "--tags", json.dumps({"gate.decision": "promote", "gate.reason": "challenger +0.02 NDCG@10"}))
    assert result.code == 0, result.output
    assert result.output["skipped_metrics"] == ["challenger.holdout.auc"]
    run = tracked["client"].get_run(run_id)
    assert run.data.metrics["challenger.holdout.ndcg_at_10"] == 0.41
    assert run.data.metrics["champion.holdout.ndcg_at_10"] == 0.39
    assert run.data.params["gate.min_uplift"] == "0.01"
    assert run.data.tags["gate.decision"] == "promote"
    assert run.data.tags["gate.reason"] == "challenger +0.02 NDCG@10"
    assert "holdout.ndcg_at_10" in run.data.metrics  # training metrics untouched


@pytest.mark.parametrize(("args", "fragment"), [
    (("--run-id", "0" * 32), "no such run"),
    (("--run-id", "x", "--metrics", '{"a": "high"}'), "finite numbers"),
])
def test_record_rejects_bad_input(tracked: dict[str, Any], args: tuple[str, ...], fragment: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("record", "--mlflow-uri", tracked["uri"], *args)
    assert result.code == 2
    assert fragment in result.output["error"]["message"]


def test_record_refuses_to_create_a_store(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("record", "--mlflow-uri", f"sqlite:///{tmp_path / 'typo.db'}", "--run-id", "abc")
    assert result.code == 2 and "no MLflow store" in result.output["error"]["message"]
    assert not (tmp_path / "typo.db").exists()


def test_unreachable_server_exits_4(monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    result = cli("record", "--mlflow-uri", "http://127.0.0.1:9", "--run-id", "abc", "--metrics", '{"a": 1}')
    assert result.code == 4
    assert result.output["error"]["kind"] == "tracking"


def test_unsupported_uri_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("record", "--mlflow-uri", "postgresql://db/mlflow", "--run-id", "abc")
    assert result.code == 2 and "expected sqlite" in result.output["error"]["message"]
