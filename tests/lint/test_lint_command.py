"""`batchjobs lint`: findings fail (cfn-lint's informational ones too); our I-rules' findings are notes."""

from __future__ import annotations

import io
from pathlib import Path

from generator.cli import IO, main

REPO = Path(__file__).resolve().parents[2]
S3_RULE = """\
  Uploads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [aws.s3], detail-type: [Object Created], detail: {bucket: {name: [raw-bucket]}}}
      Targets: [{Id: q, Arn: 'arn:aws:sqs:us-east-1:123456789012:q'}]
"""
QUEUE_WITHOUT_POLICIES = """\
  Queue:
    Type: AWS::SQS::Queue
    Properties: {SqsManagedSseEnabled: true}
"""


def lint(*paths) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", *map(str, paths)], IO(stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def test_a_note_of_ours_is_printed_and_does_not_fail(tmp_path):
    template = tmp_path / "s3.yaml"
    template.write_text("Resources:\n" + S3_RULE)
    code, out, err = lint(template)
    assert code == 0, err
    (note, summary) = out.splitlines()
    assert note.startswith(f"note: {template}:5:") and " I9601 Uploads: bucket raw-bucket must send events to EventBridge" in note
    assert summary == "1 template(s): no findings; 1 note(s)"


def test_the_committed_csv_analyzer_template_gets_its_bucket_reminder():
    code, out, _ = lint(REPO / "templates" / "csv-analyzer.yaml")
    assert code == 0
    assert "I9601 CsvAnalyzerTrigger1Rule: bucket user-uploads-bucket must send events to EventBridge" in out


def test_cfn_lints_own_informational_findings_still_fail(tmp_path):
    template = tmp_path / "queue.yaml"
    template.write_text("Resources:\n" + QUEUE_WITHOUT_POLICIES + S3_RULE)
    code, out, err = lint(template)
    assert code == 1
    assert any(line.startswith(f"{template}:") and " I3011 " in line for line in out.splitlines())
    assert any(line.startswith("note: ") and " I9601 " in line for line in out.splitlines())
    # I3011 twice (DeletionPolicy, UpdateReplacePolicy) and I3013 (MessageRetentionPeriod)
    assert err.splitlines()[-1] == "error: 3 finding(s) in 1 template(s); 1 note(s)"
