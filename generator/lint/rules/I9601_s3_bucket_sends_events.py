"""I9601 (a note, never a failure): the buckets an S3 rule names must send their events to EventBridge."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import as_list

# S3 sends these to EventBridge only when the bucket has EventBridge notifications on; events of
# source aws.s3 from CloudTrail ("AWS API Call via CloudTrail") need a trail instead, not this setting.
CLOUDTRAIL = "AWS API Call via CloudTrail"


def _pattern(value: Any) -> dict | None:
    if isinstance(value, str):  # CloudFormation also takes the pattern as a JSON string
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _sends_to_eventbridge(bucket: dict) -> bool:
    properties = bucket.get("Properties") or {}
    config = (properties.get("NotificationConfiguration") or {}).get("EventBridgeConfiguration") or {}
    return str(config.get("EventBridgeEnabled", "false")).lower() == "true"


class S3BucketSendsEvents(CloudFormationLintRule):
    id = "I9601"
    shortdesc = "Buckets named by an S3 event rule must send events to EventBridge"
    description = (
        "S3 sends Object Created (and its other) events to EventBridge only for buckets with EventBridge "
        "notifications turned on; until then a rule matching them never fires. A reminder, as a note: the bucket "
        "is usually outside the template, so its setting cannot be checked here"
    )
    source_url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html"
    tags = ["resources", "events", "s3", "batchjobs"]

    def match(self, cfn):
        matches = []
        buckets = cfn.get_resources(["AWS::S3::Bucket"])
        enabled_names = {str((b.get("Properties") or {}).get("BucketName")) for b in buckets.values()
                         if _sends_to_eventbridge(b) and isinstance((b.get("Properties") or {}).get("BucketName"), str)}
        for name, rule in cfn.get_resources(["AWS::Events::Rule"]).items():
            properties = rule.get("Properties") or {}
            raw = properties.get("EventPattern")
            pattern = _pattern(raw)
            if pattern is None or "aws.s3" not in as_list(pattern.get("source")):
                continue
            detail_types = as_list(pattern.get("detail-type")) if "detail-type" in pattern else []
            if detail_types and all(t == CLOUDTRAIL for t in detail_types):
                continue
            detail = pattern.get("detail") if isinstance(pattern.get("detail"), dict) else {}
            bucket = detail.get("bucket") if isinstance(detail.get("bucket"), dict) else {}
            if "name" not in bucket:
                continue
            named = []
            for item in as_list(bucket["name"]):
                if isinstance(item, str):
                    if item not in enabled_names:
                        named.append(item)
                elif isinstance(item, dict) and set(item) == {"Ref"} and item["Ref"] in buckets:
                    if not _sends_to_eventbridge(buckets[item["Ref"]]):
                        named.append(f"{item['Ref']} (in this template)")
                else:
                    named.append(f"matching {json.dumps(item, sort_keys=True)}")
            if not named:
                continue
            path = ["Resources", name, "Properties", "EventPattern"]
            if isinstance(raw, dict):
                path += ["detail", "bucket", "name"]
            which = "bucket " + named[0] if len(named) == 1 else "buckets " + ", ".join(named)
            # a cross-account trigger (from_account) matches the producer's `account`: the bucket lives there,
            # and its owner turns the setting on
            accounts = [a for a in as_list(pattern.get("account")) if isinstance(a, str)] if "account" in pattern else []
            if accounts:
                which += f" (in account {' or '.join(accounts)})"
            matches.append(RuleMatch(path, (
                f"{name}: {which} must send events to EventBridge, or this rule never fires (S3 console: Properties "
                "> Event notifications > Amazon EventBridge: On; or NotificationConfiguration.EventBridgeConfiguration)")))
        return matches
