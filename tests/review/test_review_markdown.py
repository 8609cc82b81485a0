"""--format markdown: a PR comment with headings, tables and a ```mermaid block naming the job and triggers."""

from __future__ import annotations

import re

from support import run_cli, spec_from

from generator.review.diagram import mermaid
from generator.review.template import parse_template

NODE = re.compile(r"^\s+([A-Za-z0-9]+)(\[|\(|\{\{|>)")
EDGE = re.compile(r"^\s+([A-Za-z0-9]+) (-->|-\.->)(\|[^|]*\|)? ([A-Za-z0-9]+)$")


def mermaid_block(markdown: str) -> str:
    blocks = re.findall(r"```mermaid\n(.*?)\n```", markdown, re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def check_structure(diagram: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Every line is a node, an edge, a subgraph or its end; every edge joins declared nodes."""
    lines = diagram.splitlines()
    assert lines[0] == "flowchart LR"
    nodes, edges = set(), set()
    for line in lines[1:]:
        if line.strip() == "end" or line.strip().startswith("subgraph "):
            continue
        if match := EDGE.match(line):
            edges.add((match.group(1), match.group(4)))
        elif match := NODE.match(line):
            nodes.add(match.group(1))
        else:
            raise AssertionError(f"not a node or edge: {line!r}")
    assert {end for edge in edges for end in edge} <= nodes
    return nodes, edges


def test_markdown_has_sections_tables_and_a_mermaid_block(git_project):
    code, out, err = run_cli("review", "--format", "markdown", "--now", "2025-03-29T12:00:00Z")
    assert code == 0, err
    assert out.startswith("## batchjobs review: `reports` (config/reports.yaml)\n")
    for heading in ("### Jobs and triggers", "### Limits", "### IAM", "### Diagram"):
        assert f"\n{heading}\n" in out
    assert ("| `report` | `nightly` | EventBridge Scheduler `ReportNightlySchedule` | schedule 0 2 \\* \\* \\* = cron(0 2 \\* \\* ? \\*) "
            "in Europe/Paris | 2025-03-31T02:00+02:00<br>2025-04-01T02:00+02:00<br>2025-04-02T02:00+02:00 |") in out
    assert ("| policy least-privilege | Allow | `s3:PutObject` | "
            "`!Sub 'arn:${AWS::Partition}:s3:::analysis-results-bucket/results/*'` |  |  |") in out

    diagram = mermaid_block(out)
    nodes, edges = check_structure(diagram)
    assert '  subgraph ReportJob["job report"]' in diagram
    assert '    ReportTaskDefinition["report<br/>Fargate 256 CPU / 512 MiB<br/>fargate"]' in diagram
    assert '    ReportUploadsRuleSource[("S3 user-uploads-bucket<br/>suffix .csv")]' in diagram
    assert '    ReportUploadsRule{{"rule uploads<br/>ReportUploadsRule"}}' in diagram
    assert '    ReportNightlyScheduleSource(["cron(0 2 * * ? *)<br/>Europe/Paris"])' in diagram
    assert '    ReportNightlySchedule{{"schedule nightly<br/>ReportNightlySchedule"}}' in diagram
    assert {
        ("ReportUploadsRuleSource", "ReportUploadsRule"), ("ReportUploadsRule", "ReportTaskDefinition"),
        ("ReportNightlyScheduleSource", "ReportNightlySchedule"), ("ReportNightlySchedule", "ReportTaskDefinition"),
        ("ReportUploadsRule", "ReportDeadLetterQueue"), ("ReportNightlySchedule", "ReportDeadLetterQueue"),
        ("ReportDeadLetterQueue", "ReportDeadLetterQueueAlarm"), ("ReportDeadLetterQueueAlarm", "AlarmTopic"),
        ("ReportTaskDefinition", "ReportTaskFailedRule"), ("ReportTaskFailedRule", "AlarmTopic"),
        ("ReportNightlySchedule", "ScheduleGroupTargetErrorsAlarm"), ("ScheduleGroupTargetErrorsAlarm", "AlarmTopic"),
    } <= edges
    assert '  AlarmTopic(["SNS topic AlarmTopic<br/>e-mail: ops@example.com"])' in diagram
    # what the failed-task rule fires on, Fargate Spot interruptions included (resources/patterns.py)
    assert '  ReportTaskDefinition -.->|"exit code not 0 / failed to start / Spot interruption"| ReportTaskFailedRule' in diagram


def diagram_for(text: str) -> str:
    from generator.resources import build_template
    from generator.resources.render import render_yaml

    spec = spec_from(text)
    template, _ = build_template(spec)
    return mermaid(spec, parse_template(render_yaml(template, "config/x.yaml")))


def test_diagram_without_alarms_or_dlq_and_with_an_existing_topic_and_queue():
    diagram = diagram_for("""
        notifications: {topic_arn: "arn:aws:sns:us-east-1:123456789012:ops"}
        jobs:
          quiet:
            image: r/quiet:1
            alarms: false
            dead_letter_queue: "arn:aws:sqs:us-east-1:123456789012:shared-dlq"
            triggers:
              - name: orders
                event_pattern: {source: [my.app], detail-type: [Order "Placed"]}
                event_bus: orders
    """)
    nodes, edges = check_structure(diagram)
    assert '  ExistingTopic(["SNS topic ops<br/>(existing)"])' in diagram
    assert '    QuietOrdersRuleSource[/"events<br/>source: my.app<br/>detail-type: Order #quot;Placed#quot;<br/>bus orders"/]' in diagram
    assert ("QuietOrdersRule", "QuietOrdersRuleExistingDlq") in edges
    assert not any("Alarm" in node or "TaskFailed" in node for node in nodes)


def test_markdown_for_two_stacks_has_one_diagram_each(in_tmp_project):
    _, out, _ = run_cli("review", "--format", "markdown", "--now", "2025-03-01T00:00:00Z")
    # csv-analyzer, daily-data-processor and nightly-reports' two environments: four stacks
    assert out.count("```mermaid\n") == 4
    assert out.count("\n## batchjobs review: ") == 3 and out.startswith("## batchjobs review: `csv-analyzer`")
