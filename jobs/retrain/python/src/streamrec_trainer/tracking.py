"""MLflow run records: the training run (train) and the gate's verdict added later (record).

MLflow is imported lazily and only when a tracking URI is given, so the trainer has no MLflow side
effects at all otherwise. The client API is used instead of the fluent one (`mlflow.start_run`)
because the fluent API adds source/git context tags from the environment that would differ between a
developer's shell and the orchestrator; the client records exactly what is passed.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streamrec_trainer.errors import InputError, TrackingError

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

ARTIFACT_DIR_NAME = "mlartifacts"
BATCH = 100  # MLflow accepts at most 100 params or tags per log_batch call


def quiet_environment() -> None:
    """Must run before `import mlflow`: telemetry is decided at import time.

    Telemetry and system metrics are forced off; logging level and HTTP retry settings are only
    defaulted, so an operator can still turn on DEBUG or longer retries from the environment.
    """
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    os.environ["DO_NOT_TRACK"] = "true"
    os.environ["MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING"] = "false"
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")  # default 7 with backoff: minutes of hanging
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")


def sqlite_path(uri: str) -> Path | None:
    """The database file of a `sqlite:///…` URI (three slashes: relative, four: absolute), else None."""
    if not uri.startswith("sqlite:///"):
        return None
    path = uri[len("sqlite:///"):]
    if not path or path.startswith(":memory:"):
        raise InputError(f"--mlflow-uri {uri!r}: an in-memory SQLite store would vanish with the process")
    return Path(path)


def client_for(uri: str, *, existing: bool = False) -> MlflowClient:
    """Opens the store; anything but sqlite/http(s) is refused.

    For training a missing sqlite file (and its folder) is created; for `record` (existing=True) it
    must already exist, since a typo in the path would otherwise create an empty store silently.
    """
    db = sqlite_path(uri)
    if db is None and not uri.startswith(("http://", "https://")):
        raise InputError(f"--mlflow-uri {uri!r}: expected sqlite:///<path> or http(s)://<tracking server>")
    if db is not None and existing and not db.is_file():
        raise InputError(f"--mlflow-uri {uri!r}: no MLflow store at {db}")
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
    quiet_environment()
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        return MlflowClient(tracking_uri=uri, registry_uri=uri)
    except Exception as error:  # noqa: BLE001 - any failure to open the store is a tracking failure
        raise TrackingError(f"MLflow store {redact(uri)} cannot be opened: {error}") from None


def redact(uri: str) -> str:
    """Never echo credentials embedded in an http URI into logs or JSON."""
    if "@" in uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return uri


def ensure_experiment(client: MlflowClient, uri: str, name: str) -> str:
    """Returns the experiment id, creating it with artifacts beside the sqlite file when needed."""
    existing = client.get_experiment_by_name(name)
    if existing is not None:
        if existing.lifecycle_stage != "active":
            raise TrackingError(f"MLflow experiment {name!r} is deleted; restore it or choose another name")
        return str(existing.experiment_id)
    db = sqlite_path(uri)
    location = (db.resolve().parent / ARTIFACT_DIR_NAME).as_uri() if db is not None else None
    return str(client.create_experiment(name, artifact_location=location))


def log_training_run(
    uri: str,
    experiment: str,
    run_name: str | None,
    params: dict[str, Any],
    metrics: dict[str, float | int | None],
    tags: dict[str, str],
    json_artifacts: dict[str, Any],
    files: list[Path],
) -> tuple[str, str, Callable[[list[Path]], None]]:
    """Creates a run with everything known so far; returns (run id, experiment id, a finish callback).

    The callback logs the last artifacts (report.json, which must contain the run id) and closes the
    run; any failure marks the run FAILED and becomes a TrackingError (exit 4).
    """
    client = client_for(uri)
    run_id = None
    try:
        experiment_id = ensure_experiment(client, uri, experiment)
        run = client.create_run(experiment_id, run_name=run_name, tags=tags)
        run_id = run.info.run_id
        _log_batches(client, run_id, metrics=metrics, params=params, tags={})
        for artifact, content in json_artifacts.items():
            client.log_dict(run_id, content, artifact)
        for path in files:
            client.log_artifact(run_id, str(path))
    except TrackingError:
        raise
    except Exception as error:  # noqa: BLE001 - MLflow raises many types; all mean "run not recorded"
        _fail(client, run_id)
        raise TrackingError(f"MLflow logging to {redact(uri)} failed: {error}") from None

    def finish(last_files: list[Path]) -> None:
        try:
            for path in last_files:
                client.log_artifact(run_id, str(path))
            client.set_terminated(run_id, "FINISHED")
        except Exception as error:  # noqa: BLE001
            _fail(client, run_id)
            raise TrackingError(f"MLflow logging to {redact(uri)} failed: {error}") from None

    return run_id, experiment_id, finish


def record(uri: str, run_id: str, metrics: dict[str, Any], params: dict[str, Any], tags: dict[str, Any]) -> dict[str, Any]:
    """Adds the gate's numbers and verdict to an existing run; nested metric objects are flattened."""
    flat, skipped = flatten_metrics(metrics)
    client = client_for(uri, existing=True)
    from mlflow.exceptions import MlflowException

    try:
        client.get_run(run_id)
    except MlflowException as error:
        if getattr(error, "error_code", "") == "RESOURCE_DOES_NOT_EXIST":
            raise InputError(f"--run-id {run_id!r}: no such run in {redact(uri)}") from None
        raise TrackingError(f"MLflow store {redact(uri)}: {error}") from None
    except Exception as error:  # noqa: BLE001
        raise TrackingError(f"MLflow store {redact(uri)}: {error}") from None
    try:
        _log_batches(client, run_id, metrics=flat, params=params,
                     tags={key: value if isinstance(value, str) else json.dumps(value) for key, value in tags.items()})
    except MlflowException as error:
        if getattr(error, "error_code", "") == "INVALID_PARAMETER_VALUE":
            raise InputError(f"MLflow refused the values for run {run_id}: {error}") from None
        raise TrackingError(f"MLflow logging to {redact(uri)} failed: {error}") from None
    except Exception as error:  # noqa: BLE001
        raise TrackingError(f"MLflow logging to {redact(uri)} failed: {error}") from None
    return {"run_id": run_id, "metrics": flat, "skipped_metrics": skipped,
            "params": sorted(params), "tags": sorted(tags)}


def flatten_metrics(metrics: dict[str, Any], prefix: str = "") -> tuple[dict[str, float], list[str]]:
    """{"champion": {"ndcg_at_10": 0.3}} → {"champion.ndcg_at_10": 0.3}; nulls are skipped and listed."""
    flat: dict[str, float] = {}
    skipped: list[str] = []
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            inner, inner_skipped = flatten_metrics(value, f"{name}.")
            flat.update(inner)
            skipped.extend(inner_skipped)
        elif value is None:
            skipped.append(name)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            flat[name] = float(value)
        else:
            raise InputError(f"--metrics: {name!r} is {value!r}; metric values must be finite numbers, null or objects")
    return flat, skipped


def _log_batches(client: MlflowClient, run_id: str, *, metrics: Mapping[str, float | int | None],
                 params: dict[str, Any], tags: dict[str, str]) -> None:
    from mlflow.entities import Metric, Param, RunTag

    now = int(time.time() * 1000)
    metric_list = [Metric(key, float(value), now, 0) for key, value in metrics.items()
                   if value is not None and math.isfinite(float(value))]
    param_list = [Param(key, value if isinstance(value, str) else json.dumps(value)) for key, value in params.items()]
    tag_list = [RunTag(key, value) for key, value in tags.items()]
    for start in range(0, max(len(metric_list), len(param_list), len(tag_list)), BATCH):
        client.log_batch(run_id, metrics=metric_list[start:start + BATCH],
                         params=param_list[start:start + BATCH], tags=tag_list[start:start + BATCH])


def _fail(client: MlflowClient, run_id: str | None) -> None:
    if run_id is None:
        return
    try:
        client.set_terminated(run_id, "FAILED")
    except Exception:  # noqa: BLE001, S110 - best effort: the original error is the one to report
        pass
