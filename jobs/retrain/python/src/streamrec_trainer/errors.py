"""Failures that the orchestrator must tell apart by exit code, so it never has to parse messages."""

from __future__ import annotations


class TrainerError(Exception):
    """Base class: a failure with a stable exit code and a message meant for a person."""

    exit_code = 1
    kind = "error"


class InputError(TrainerError):
    """Bad dataset or bad arguments: retrying will not help until the input is fixed (exit 2)."""

    exit_code = 2
    kind = "invalid_input"


class ParityError(TrainerError):
    """The ONNX export does not reproduce LightGBM's scores: the model must not be published (exit 3)."""

    exit_code = 3
    kind = "parity"


class TrackingError(TrainerError):
    """MLflow could not be written; the model files may exist but the run record is incomplete (exit 4)."""

    exit_code = 4
    kind = "tracking"
