"""CloudWatch: metric sums and alarm states."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from .session import Aws, call


def metric_sum(aws: Aws, namespace: str, metric: str, dimensions: dict[str, str], hours: int = 24) -> float:
    """Sum of a metric over the last ``hours`` (0 when there are no data points)."""
    cw = aws.client("cloudwatch")
    # up to the next whole minute: requests carry whole seconds, and a point from this second must count
    end = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(minutes=1)
    response = call(
        f"get {namespace} {metric}", cw.get_metric_statistics,
        Namespace=namespace, MetricName=metric,
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        StartTime=end - timedelta(hours=hours), EndTime=end, Period=hours * 3600, Statistics=["Sum"],
    )
    return sum(point.get("Sum", 0) for point in response.get("Datapoints", []))


def alarms(aws: Aws, names: list[str]) -> list[dict[str, Any]]:
    if not names:
        return []
    cw = aws.client("cloudwatch")
    found: list[dict[str, Any]] = []
    for start in range(0, len(names), 100):
        found += call("describe alarms", cw.describe_alarms, AlarmNames=names[start:start + 100]).get("MetricAlarms", [])
    return found
