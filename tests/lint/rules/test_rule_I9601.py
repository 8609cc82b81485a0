"""I9601: a note (never a failure) that the buckets an S3 event rule names must send events to EventBridge."""

from lint_case import found, noted

RULE = "I9601"
RULE_ON = """
Uploads:
  Type: AWS::Events::Rule
  Properties:
    EventPattern:
{pattern}
    Targets:
      - Id: q
        Arn: arn:aws:sqs:us-east-1:123456789012:q
"""
S3_UPLOAD = """\
      source: [aws.s3]
      detail-type: [Object Created]
      detail:
        bucket:
          name: [{names}]
        object:
          key: [{{suffix: .csv}}]"""
NAMES = "Resources/Uploads/Properties/EventPattern/detail/bucket/name"
SETTING = ("must send events to EventBridge, or this rule never fires (S3 console: Properties > Event notifications > "
           "Amazon EventBridge: On; or NotificationConfiguration.EventBridgeConfiguration)")


def rule(names: str = "user-uploads-bucket", pattern: str | None = None) -> str:
    return RULE_ON.format(pattern=pattern if pattern is not None else S3_UPLOAD.format(names=names))


def test_an_s3_rule_naming_a_bucket_gets_a_note_not_a_finding():
    assert noted(rule(), RULE, with_task=False) == [(NAMES, f"Uploads: bucket user-uploads-bucket {SETTING}")]
    assert found(rule(), RULE, with_task=False) == []  # lint_text: what fails


def test_every_bucket_named():
    assert noted(rule("a-bucket, b-bucket, {prefix: logs-}"), RULE, with_task=False) == [
        (NAMES, f'Uploads: buckets a-bucket, b-bucket, matching {{"prefix": "logs-"}} {SETTING}')]


def test_a_pattern_given_as_a_json_string():
    text = rule(pattern="      '{\"source\": [\"aws.s3\"], \"detail\": {\"bucket\": {\"name\": [\"raw\"]}}}'")
    assert noted(text, RULE, with_task=False) == [
        ("Resources/Uploads/Properties/EventPattern", f"Uploads: bucket raw {SETTING}")]


def test_a_bucket_of_the_template_that_sends_events_needs_no_reminder():
    bucket = """
Bucket:
  Type: AWS::S3::Bucket
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    BucketName: user-uploads-bucket
    NotificationConfiguration:
      EventBridgeConfiguration: {EventBridgeEnabled: true}
"""
    assert noted(rule() + bucket, RULE, with_task=False) == []
    off = bucket.replace("    BucketName: user-uploads-bucket\n", "").replace("EventBridgeEnabled: true", "EventBridgeEnabled: false")
    assert noted(rule("!Ref Bucket") + off, RULE, with_task=False) == [
        (NAMES, f"Uploads: bucket Bucket (in this template) {SETTING}")]


def test_cloudtrail_events_and_other_sources_are_not_its_business():
    cloudtrail = S3_UPLOAD.format(names="b").replace("[Object Created]", "[AWS API Call via CloudTrail]")
    assert noted(rule(pattern=cloudtrail), RULE, with_task=False) == []
    assert noted(rule(pattern=S3_UPLOAD.format(names="b").replace("aws.s3", "aws.ec2")), RULE, with_task=False) == []
    no_bucket = "      source: [aws.s3]\n      detail-type: [Object Created]"
    assert noted(rule(pattern=no_bucket), RULE, with_task=False) == []
