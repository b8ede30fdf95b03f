"""Allows `python -m streamrec_trainer`, the form the TypeScript orchestrator calls."""

from streamrec_trainer.cli import entry_point

entry_point()
