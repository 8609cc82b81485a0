"""Helpers shared by the analyzer tests (a uniquely named module: tests/ holds several conftest.py)."""

from __future__ import annotations

import csv
import io
import json

from analyzer.__main__ import main

IN_BUCKET, OUT_BUCKET = "in-bucket", "out-bucket"


def csv_text(header: list[str], rows: list[list], lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


class Run:
    def __init__(self, code: int, stdout: str) -> None:
        self.code = code
        self.stdout = stdout
        self.logs = [json.loads(line) for line in stdout.splitlines()]  # every line must be one JSON object

    def events(self, name: str) -> list[dict]:
        return [r for r in self.logs if r["event"] == name]


def run_cli(*argv: str, env: dict | None = None) -> Run:
    out = io.StringIO()
    code = main(list(argv), environ=env or {}, stdout=out)
    return Run(code, out.getvalue())


def get_report(client, key: str) -> tuple[dict, dict]:
    obj = client.get_object(Bucket=OUT_BUCKET, Key=key)
    return json.loads(obj["Body"].read()), obj
