"""Shared fixtures: synthetic datasets and an in-process CLI runner.

The CLI runs in-process (main(argv)) so the heavy imports are paid once per session; a few tests also
run it as a subprocess to prove the real `python -m` contract (exit codes, stdout holds only JSON).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_dataset

from streamrec_trainer.cli import main


@dataclass(frozen=True)
class CliResult:
    code: int
    output: dict[str, Any]
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Runs main(argv) and parses stdout, which must hold exactly one JSON object."""

    def run(*argv: str) -> CliResult:
        code = main(list(argv))
        captured = capsys.readouterr()
        lines = [line for line in captured.out.splitlines() if line.strip()]
        assert len(lines) == 1, f"stdout must be one JSON line, got: {captured.out!r}"
        return CliResult(code=code, output=json.loads(lines[0]), stderr=captured.err)

    return run


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small dataset with a planted signal, shared read-only by many tests."""
    return write_dataset(tmp_path_factory.mktemp("planted"), rows=(4000, 1200, 1200), features=12, seed=7)
