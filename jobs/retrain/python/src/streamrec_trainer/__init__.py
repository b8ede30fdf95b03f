"""streamrec-trainer: the one Python part of streamrec.

It exists because LightGBM training and its ONNX conversion live in the Python ecosystem; everything
around it (ClickHouse extraction, the champion/challenger gate, publication) is TypeScript and talks to
this package only through files and the JSON printed by its CLI.
"""

__version__ = "0.1.0"
REPORT_FORMAT = "streamrec-trainer-report-v1"
DATASET_FORMAT = "streamrec-train-v1"
