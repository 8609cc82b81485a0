"""`batchjobs review --against REV` end to end: a git project, a change to the spec, the findings."""

from __future__ import annotations

from support import run_cli

NOW = "2025-03-01T00:00:00Z"


def review(*args: str) -> tuple[int, str, str]:
    return run_cli("review", "--now", NOW, *args)


def section(out: str, title: str) -> str:
    """The indented lines under a heading of the text report's diff ("BROADENED PERMISSIONS (2)")."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        body.append(line.strip())
    return "\n".join(body)


def test_unchanged_spec_has_no_changes(git_project):
    code, out, err = review("--against", "HEAD")
    assert code == 0, err
    assert "Changes since HEAD (templates/reports.yaml)\n  no changes since HEAD" in out
    assert "BROADENED" not in out and "REPLACEMENTS" not in out
    # our lint notes reach the reviewer too (README: generate, deploy and review print them)
    assert "  note: lint note: templates/reports.yaml:" in out and "I9601" in out


def test_an_added_s3_action_is_broadened(git_project):
    git_project.edit_spec(
        "      s3_write: [analysis-results-bucket/results/]\n",
        "      s3_write: [analysis-results-bucket/results/]\n"
        "      statements:\n"
        "        - actions: [s3:DeleteObject]\n"
        '          resources: ["arn:aws:s3:::analysis-results-bucket/results/*"]\n',
    )
    code, out, err = review("--against", "HEAD")
    assert code == 0, err
    assert section(out, "BROADENED PERMISSIONS (1)") == (
        "! ReportTaskRole policy least-privilege: gains s3:DeleteObject on "
        "arn:aws:s3:::analysis-results-bucket/results/* (wildcard)"
    )
    assert "~ ReportTaskRole (AWS::IAM::Role): Properties.Policies[0].PolicyDocument.Statement (3 -> 4 items)" in out


def test_a_widened_prefix_is_broadened_and_names_what_it_widens(git_project):
    git_project.edit_spec("s3_write: [analysis-results-bucket/results/]", "s3_write: [analysis-results-bucket]")
    code, out, _ = review("--against", "HEAD")
    assert code == 0
    assert section(out, "BROADENED PERMISSIONS (1)") == (
        "! ReportTaskRole policy least-privilege: s3:PutObject gains resource "
        "!Sub 'arn:${AWS::Partition}:s3:::analysis-results-bucket/*' "
        "(widens !Sub 'arn:${AWS::Partition}:s3:::analysis-results-bucket/results/*')"
    )


def test_a_narrowed_prefix_is_not_broadened(git_project):
    git_project.edit_spec("s3_write: [analysis-results-bucket/results/]", "s3_write: [analysis-results-bucket/results/daily/]")
    code, out, _ = review("--against", "HEAD")
    assert code == 0
    assert "BROADENED" not in out
    assert "~ ReportTaskRole (AWS::IAM::Role): Properties.Policies[0].PolicyDocument.Statement[2].Resource[0]" in out


def test_a_resource_widened_by_a_wildcard_is_broadened(git_project):
    # (a bare "*" resource on sqs:SendMessage is refused by the spec itself: see tests/bad_specs)
    # (a removed condition is covered in test_review_broadening.py: specs with `conditions` do not build yet)
    git_project.edit_spec(
        "      s3_write: [analysis-results-bucket/results/]\n",
        "      s3_write: [analysis-results-bucket/results/]\n"
        "      statements:\n"
        "        - actions: [sqs:SendMessage]\n"
        '          resources: ["arn:aws:sqs:us-east-1:123456789012:reports"]\n',
    )
    git_project.generate()
    git_project.commit("reports: send to a queue")
    git_project.edit_spec('"arn:aws:sqs:us-east-1:123456789012:reports"', '"arn:aws:sqs:us-east-1:123456789012:*"')
    code, out, _ = review("--against", "HEAD")
    assert code == 0
    assert section(out, "BROADENED PERMISSIONS (1)") == (
        "! ReportTaskRole policy least-privilege: sqs:SendMessage gains resource arn:aws:sqs:us-east-1:123456789012:* "
        "(widens arn:aws:sqs:us-east-1:123456789012:reports)"
    )


def test_fail_on_broadening_exits_1_after_printing_the_report(git_project):
    git_project.edit_spec("s3_read: [user-uploads-bucket]", "s3_read: [user-uploads-bucket, other-bucket]")
    code, out, err = review("--against", "HEAD", "--fail-on-broadening")
    assert code == 1
    assert "s3:GetObject gains resource !Sub 'arn:${AWS::Partition}:s3:::other-bucket/*'" in out
    assert "s3:ListBucket" in section(out, "BROADENED PERMISSIONS (2)")  # listing the new bucket, too
    assert err.strip().endswith("error: 2 broadened permission(s) since HEAD (listed in the report)")
    assert review("--against", "HEAD")[0] == 0  # without the flag, broadening is reported, not failed


def test_fail_on_broadening_passes_when_nothing_is_broader(git_project):
    git_project.edit_spec("s3_read: [user-uploads-bucket]", "s3_read: [user-uploads-bucket/incoming/]")
    code, out, err = review("--against", "HEAD", "--fail-on-broadening")
    assert code == 0, err
    assert "BROADENED" not in out


def test_a_task_size_change_is_a_new_revision(git_project):
    git_project.edit_spec("    permissions:\n", "    cpu: 1024\n    memory: 2048\n    permissions:\n")
    _, out, _ = review("--against", "HEAD")
    assert section(out, "REPLACEMENTS (1)") == (
        "! ReportTaskDefinition (AWS::ECS::TaskDefinition): new revision (ContainerDefinitions, Cpu, Memory changed): a new revision is "
        "registered; the previous one is deregistered (running tasks keep running)"
    )


def test_dropping_the_dead_letter_queue_flags_its_messages(git_project):
    git_project.edit_spec("    permissions:\n", "    dead_letter_queue: false\n    permissions:\n")
    _, out, _ = review("--against", "HEAD")
    removed = section(out, "REMOVED (")
    assert "- ReportDeadLetterQueue (AWS::SQS::Queue): the queue and the messages in it are deleted" in removed
    assert "- ReportDeadLetterQueuePolicy (AWS::SQS::QueuePolicy): deleted" in removed
    assert ("note: output ReportDeadLetterQueue and its export !Sub '${AWS::StackName}-ReportDeadLetterQueue' are "
            "removed: the update fails while another stack imports it") in out


def test_a_renamed_trigger_is_a_new_logical_id(git_project):
    git_project.edit_spec("- name: uploads", "- name: csv-uploads")
    _, out, _ = review("--against", "HEAD")
    assert ("- ReportUploadsRule (AWS::Events::Rule): logical ID becomes ReportCsvUploadsRule: CloudFormation creates "
            "ReportCsvUploadsRule, then deletes ReportUploadsRule: the rule is deleted: its trigger stops firing") in out
    assert "+ ReportCsvUploadsRule (AWS::Events::Rule)" in out


def test_a_new_job_lists_its_permissions_apart_from_broadening(git_project):
    git_project.edit_spec(
        "jobs:\n",
        "jobs:\n"
        "  cleanup:\n"
        "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cleanup:latest\n"
        "    permissions: {s3_write: [scratch-bucket/tmp/]}\n"
        "    triggers: [{schedule: rate(1 hour)}]\n",
    )
    code, out, err = review("--against", "HEAD", "--fail-on-broadening")
    assert code == 0, err
    assert "BROADENED" not in out
    new = section(out, "permissions of new resources")
    assert ("+ CleanupTaskRole policy least-privilege: Allow s3:PutObject; "
            "on !Sub 'arn:${AWS::Partition}:s3:::scratch-bucket/tmp/*'") in new
    # the existing topic policy now also names the new job's rule: listed with the new permissions, not broader
    assert ("+ AlarmTopicPolicy resource policy: sns:Publish on !Ref AlarmTopic: condition ArnEquals aws:SourceArn "
            "now also accepts !GetAtt CleanupTaskFailedRule.Arn") in new
    assert "+ CleanupTrigger1Rule (AWS::Events::Rule)" in out


def test_a_stack_missing_at_the_revision_is_new(git_project):
    git_project.git("commit", "-q", "--allow-empty", "-m", "later")
    (git_project.root / "config" / "extra.yaml").write_text(
        git_project.spec.read_text().replace("stack: reports", "stack: extra"))
    code, out, err = review("config/extra.yaml", "--against", "HEAD")
    assert code == 0, err
    assert "Changes since HEAD (templates/extra.yaml)\n  new stack: no template at HEAD;" in out


def test_a_template_without_a_spec_is_named(git_project):
    git_project.spec.unlink()
    (git_project.root / "config" / "renamed.yaml").write_text(SPEC_RENAMED)
    code, out, _ = review("--against", "HEAD")
    assert code == 0
    assert ("note: reports: templates/reports.yaml exists at HEAD but no spec makes it any more; the stack is not "
            "deleted by this change: delete it on purpose") in out


SPEC_RENAMED = """\
stack: renamed
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
jobs:
  report:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    triggers: [{schedule: rate(1 day)}]
"""


def test_a_bad_revision_exits_2_with_gits_message(git_project):
    code, out, err = review("--against", "no-such-branch")
    assert (code, out) == (2, "")
    assert err.strip() == "error: --against no-such-branch: bad revision 'no-such-branch'"


def test_outside_a_git_repository_exits_2(git_project):
    import shutil

    shutil.rmtree(git_project.root / ".git")
    code, _, err = review("--against", "HEAD")
    assert code == 2
    assert err.startswith("error: find the git repository: not a git repository")


def test_a_bad_spec_exits_2_with_its_location(git_project):
    git_project.edit_spec("    permissions:\n", "    cpu: 300\n    permissions:\n")
    code, out, err = review("--against", "HEAD")
    assert (code, out) == (2, "")
    assert err.startswith("config/reports.yaml:8:10: jobs.report.cpu: 300 is not a Fargate CPU value")


def test_fail_on_broadening_needs_a_revision(git_project):
    code, _, err = review("--fail-on-broadening")
    assert code == 2
    assert "--fail-on-broadening needs --against REV" in err


def test_markdown_flags_broadening_and_replacement(git_project):
    git_project.edit_spec("s3_write: [analysis-results-bucket/results/]", "s3_write: [analysis-results-bucket]")
    git_project.edit_spec("    permissions:\n", "    cpu: 512\n    memory: 1024\n    permissions:\n")
    code, out, _ = review("--against", "HEAD", "--format", "markdown")
    assert code == 0
    assert "### Changes since HEAD (templates/reports.yaml)" in out
    assert "**:warning: Broadened permissions (1)**" in out
    # free text is escaped so that GitHub shows `*`, `_` and `${...}` as written
    assert ("- `ReportTaskRole` policy least-privilege: s3:PutObject gains resource "
            "!Sub 'arn:\\${AWS::Partition}:s3:::analysis-results-bucket/\\*' "
            "(widens !Sub 'arn:\\${AWS::Partition}:s3:::analysis-results-bucket/results/\\*')\n") in out
    assert "- `ReportTaskDefinition` (AWS::ECS::TaskDefinition): **new revision** (ContainerDefinitions, Cpu, Memory changed)" in out
    assert "| changed | `ReportTaskDefinition` | AWS::ECS::TaskDefinition |" in out


def test_an_unreadable_template_at_the_revision_exits_2(git_project):
    (git_project.root / "templates" / "reports.yaml").write_text("Resources: [unclosed\n")
    git_project.commit("break the template")
    code, out, err = review("--against", "HEAD")
    assert (code, out) == (2, "")
    assert err.startswith("error: templates/reports.yaml at HEAD: not a CloudFormation template: ")
