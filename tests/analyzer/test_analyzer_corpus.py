"""The bad-input corpus, each case through the container path (moto S3): exit code, report, log line."""

from __future__ import annotations

import pytest
from analyzer_helpers import IN_BUCKET, csv_text, get_report, run_cli

GOOD_ROWS = [[i, f"v{i}"] for i in range(100)]

CORPUS = [
    # name, object body, exit code, report error code (None: ok), expected row count
    ("empty object", b"", 2, "empty", None),
    ("header only", b"a,b,c\n", 0, None, 0),
    ("ragged rows, short and long", (csv_text(["a", "b"], GOOD_ROWS) + "1\n1,2,3\n").encode(), 0, None, 100),
    ("mostly ragged rows", b"a,b,c\n" + b"1,2\n" * 50 + b"1,2,3\n", 2, "too_many_malformed_rows", None),
    ("invalid UTF-8", b"a,b\n1,ok\n2,caf\xe9\n", 2, "not_utf8", None),
    ("UTF-8 BOM", b"\xef\xbb\xbf" + csv_text(["a", "b"], GOOD_ROWS).encode(), 0, None, 100),
    ("CRLF", csv_text(["a", "b"], GOOD_ROWS, lineterminator="\r\n").encode(), 0, None, 100),
    ("quoted newlines", csv_text(["a", "b"], [[i, f"x\ny{i}"] for i in range(100)]).encode(), 0, None, 100),
    ("10 MB single field", b'a,b\n1,"' + b"z" * 10_000_000 + b'"\n', 0, None, 1),
    ("binary file named .csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", 2, "binary", None),
]


@pytest.mark.parametrize("name,body,exit_code,error_code,rows", CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus(s3, s3_env, name, body, exit_code, error_code, rows):
    s3.put_object(Bucket=IN_BUCKET, Key="corpus/input.csv", Body=body)
    run = run_cli(env=s3_env("corpus/input.csv"))
    assert run.code == exit_code, run.stdout
    report, _ = get_report(s3, "results/input.csv.analysis.json")  # written in every case
    assert report["input"]["size_bytes"] == len(body)
    if error_code is None:
        assert report["status"] == "ok" and report["error"] is None
        assert report["row_count"] == rows
        assert run.events("result")[0]["rows"] == rows
    else:
        assert report["status"] == "unusable_input"
        assert report["error"]["code"] == error_code and report["error"]["message"]
        [error] = run.events("error")
        assert (error["code"], error["exit_code"], error["level"]) == (error_code, 2, "error")
    if name.startswith("UTF-8 BOM"):
        assert report["columns"][0]["name"] == "a"
    if name.startswith("ragged"):
        assert report["problems"]["malformed_rows"] == 2
        assert report["problems"]["by_kind"] == {"missing_columns": 1, "too_many_columns": 1}
    if name.startswith("10 MB"):
        assert report["columns"][1]["max_length"] == 10_000_000
