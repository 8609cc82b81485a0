"""`batchjobs status JOB`: recent tasks, trigger invocations (24 h), DLQ depth, alarm states."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import Any

HELP = "a job's recent tasks (exit codes, stop reasons), trigger invocations and failures (24 h), DLQ depth, its alarms"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import add_job_arguments

    add_job_arguments(parser)
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="how many recent tasks (default 10)")
    add_aws_arguments(parser, read=True)


def _iso(value: Any) -> str | None:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds") if isinstance(value, datetime) else None


def task_row(task: dict[str, Any], container_name: str) -> dict[str, Any]:
    started, stopped = task.get("startedAt"), task.get("stoppedAt")
    duration = None
    if isinstance(started, datetime):
        end = stopped if isinstance(stopped, datetime) else datetime.now(timezone.utc)
        duration = int((end - started).total_seconds())
    container = next((c for c in task.get("containers", []) if c.get("name") == container_name), {})
    return {
        "task": task["taskArn"].rsplit("/", 1)[-1],
        "status": task.get("lastStatus"),
        "started": _iso(started),
        "stopped": _iso(stopped),
        "duration_seconds": duration,
        "exit_code": container.get("exitCode"),
        "stop_reason": task.get("stoppedReason") or container.get("reason"),
    }


def collect(located, aws, limit: int) -> dict[str, Any]:
    from ..aws import cloudwatch, ecs, sqs
    from ..aws.cloudformation import stack_resources
    from ..plan.names import SCHEDULE_GROUP, SCHEDULE_GROUP_ALARM
    from ..locate import cluster_of

    plan = located.plan
    resources = located.resources(lambda stack: stack_resources(aws, stack))
    cluster = cluster_of(located, resources)
    family = plan.family

    tasks = [task_row(t, plan.container) for t in ecs.recent_tasks(aws, cluster, family, limit)]
    capacity = capacity_check(located, aws, cluster)

    triggers = []
    group = (resources.get(SCHEDULE_GROUP) or {}).get("PhysicalResourceId")
    group_counts: tuple[int, int] | None = None
    for planned in plan.triggers:
        trigger, name, scheduler, logical = planned.spec, planned.name, planned.scheduler, planned.resource
        physical = (resources.get(logical) or {}).get("PhysicalResourceId")
        row = {"trigger": name, "kind": "schedule" if scheduler else "rule", "resource": physical,
               "invocations_24h": None, "failed_invocations_24h": None, "counted_for": None}
        if physical and not scheduler:  # AWS/Events publishes per rule
            # Ref of a rule on a custom bus is `<bus>|<rule>`; its metrics carry EventBusName too
            rule = physical.rsplit("|", 1)[-1].rsplit("/", 1)[-1]
            bus = trigger.event_bus.rsplit("/", 1)[-1]  # a name or an ARN (triggers/event_pattern.py bus_name)
            dims = {"RuleName": rule} if bus == "default" else {"EventBusName": bus, "RuleName": rule}
            row["invocations_24h"] = int(cloudwatch.metric_sum(aws, "AWS/Events", "Invocations", dims))
            row["failed_invocations_24h"] = int(cloudwatch.metric_sum(aws, "AWS/Events", "FailedInvocations", dims))
            row["counted_for"] = f"rule {rule}"
        elif physical and scheduler and group:
            # AWS/Scheduler publishes per schedule group only: the stack's one group holds all its schedules
            if group_counts is None:
                dims = {"ScheduleGroup": group}
                group_counts = (int(cloudwatch.metric_sum(aws, "AWS/Scheduler", "InvocationAttemptCount", dims)),
                                int(cloudwatch.metric_sum(aws, "AWS/Scheduler", "TargetErrorCount", dims)))
            row["invocations_24h"], row["failed_invocations_24h"] = group_counts
            row["counted_for"] = f"schedule group {group}"
        if planned.bus_policy:  # a cross-account trigger: its producers' events arrive through the bus policy
            row["from_account"] = list(trigger.from_account)
            row["bus_policy"] = (resources.get(planned.bus_policy) or {}).get("PhysicalResourceId")
        triggers.append(row)

    queues: dict[str, str] = {}
    if plan.own_dead_letter_queue:
        url = (resources.get(plan.ids.dead_letter_queue) or {}).get("PhysicalResourceId")
        if url:
            queues[url] = url
    for queue in plan.existing_queues:
        queues.setdefault(queue.arn, sqs.queue_url_from_arn(aws, queue.arn))
    dead_letter_queues = [{"queue": url, "depth": sqs.depth(aws, url)} for url in queues.values()]

    # this job's alarms by their exact logical IDs, as the plan gives them (its DLQ's, its rules', those on
    # queues named by ARN): a prefix would also match job `csv-analyzer`'s alarms for job `csv`. The stack's
    # resources say which exist (an alarm on a queue of another account or Region has a Condition that keeps
    # it out of this stack).
    alarm_ids = [item.id for item in plan.resources if item.kind == "AWS::CloudWatch::Alarm"]
    if plan.uses_scheduler:
        alarm_ids.append(SCHEDULE_GROUP_ALARM)  # a stack resource: the job's plan lists only its own
    alarm_names = [resources[logical]["PhysicalResourceId"] for logical in alarm_ids
                   if (resources.get(logical) or {}).get("ResourceType") == "AWS::CloudWatch::Alarm"
                   and resources[logical].get("PhysicalResourceId")]
    alarms = [{"alarm": a["AlarmName"], "state": a.get("StateValue"), "reason": a.get("StateReason")}
              for a in cloudwatch.alarms(aws, alarm_names)]

    data = {"job": located.job_name, "stack": located.stack_name, "cluster": cluster, "family": family,
            "tasks": tasks, "triggers": triggers, "dead_letter_queues": dead_letter_queues, "alarms": alarms,
            "capacity_providers": capacity}
    if plan.run_controlled:
        data["executions"] = _executions(located, aws, resources, limit)
    return data


def _executions(located, aws, resources: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """A run-controlled job's recent runs: started, skipped, retried, timed out, the task's exit code."""
    from ..aws import states
    from ..plan.run_control import RunControlNames

    machine = (resources.get(RunControlNames(located.job_name).state_machine) or {}).get("PhysicalResourceId")
    if not machine:
        return []
    rows = []
    for execution in states.recent_executions(aws, machine, limit):
        status = execution.get("status")
        if execution["skipped"]:
            status = "SKIPPED"
        elif execution["timed_out"] and status == "FAILED":
            status = "TIMED_OUT"
        rows.append({
            "execution": execution.get("name"),
            "status": status,
            "started": _iso(execution.get("startDate")),
            "stopped": _iso(execution.get("stopDate")),
            "attempts": execution["attempts"],
            "retried": max(execution["attempts"] - 1, 0),
            "exit_code": execution["exit_code"],
        })
    return rows


def capacity_check(located, aws, cluster: str) -> dict[str, Any] | None:
    """On a cluster the stack does not own: the providers the job's strategy names, and those missing from
    the cluster ("Only capacity providers that are already associated with a cluster ... can be used in a
    capacity provider strategy",
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
    None when the job runs on LaunchType FARGATE or on the stack's own cluster (which associates both)."""
    from ..aws import ecs
    from ..resources.targets import capacity_items

    if located.spec.cluster.create:
        return None
    needed = [provider for provider, _ in capacity_items(located.job)]
    if not needed:
        return None
    associated = ecs.cluster_capacity_providers(aws, cluster)
    missing = needed if associated is None else [p for p in needed if p not in associated]
    return {"needed": needed, "associated": associated, "missing": missing}


TASKS_KEPT = ("(ECS keeps stopped tasks for about an hour: older runs show only in the trigger counts, "
              "the alarms and `batchjobs logs`)")


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> list[str]:
    """Plain-text columns: header, then one line per row ('-' for missing values)."""
    cells = [[("-" if row.get(key) is None else str(row.get(key))) for key, _ in columns] for row in rows]
    widths = [max([len(title)] + [len(c[i]) for c in cells]) for i, (_, title) in enumerate(columns)]
    fmt = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return [fmt([title for _, title in columns])] + [fmt(c) for c in cells]


def render(data: dict[str, Any]) -> list[str]:
    lines = [f"job {data['job']} (stack {data['stack']}, cluster {data['cluster']}, family {data['family']})", "",
             "Recent tasks"]
    if data["tasks"]:
        lines += table(data["tasks"], [("task", "TASK"), ("status", "STATUS"), ("started", "STARTED"),
                                       ("stopped", "STOPPED"), ("duration_seconds", "SECONDS"),
                                       ("exit_code", "EXIT"), ("stop_reason", "STOP REASON")])
    else:
        lines.append("(none)")
    lines.append(TASKS_KEPT)
    if "executions" in data:
        lines += ["", "Recent runs (Step Functions: timeout, task retries, overlap)"]
        lines += table(data["executions"], [("execution", "EXECUTION"), ("status", "STATUS"), ("started", "STARTED"),
                                            ("stopped", "STOPPED"), ("attempts", "ATTEMPTS"), ("retried", "RETRIED"),
                                            ("exit_code", "EXIT")]) if data["executions"] else ["(none)"]
    lines += ["", "Triggers (last 24 h)"]
    lines += table(data["triggers"], [("trigger", "TRIGGER"), ("kind", "KIND"), ("invocations_24h", "INVOCATIONS"),
                                      ("failed_invocations_24h", "FAILED"), ("resource", "RESOURCE")])
    groups = sorted({row["counted_for"] for row in data["triggers"] if row["kind"] == "schedule" and row["counted_for"]})
    for group in groups:
        lines.append(f"(schedules: AWS/Scheduler InvocationAttemptCount and TargetErrorCount of {group}, which holds "
                     f"every schedule of stack {data['stack']}; attempts include retries)")
    for row in data["triggers"]:
        if row.get("from_account"):
            policy = f"bus policy {row['bus_policy']}" if row.get("bus_policy") else "its bus policy is not in the stack"
            lines.append(f"({row['trigger']}: events of {', '.join(row['from_account'])}, sent by the forwarder stack "
                         f"deployed there (`batchjobs deploy SPEC --forwarder ACCOUNT`); {policy})")
    lines += ["", "Dead-letter queues"]
    lines += table(data["dead_letter_queues"], [("queue", "QUEUE"), ("depth", "MESSAGES")]) if data["dead_letter_queues"] else ["(none)"]
    capacity = data.get("capacity_providers")
    if capacity and capacity["missing"]:
        lines += ["", f"Capacity providers: {', '.join(capacity['missing'])} not associated with cluster "
                      f"{data['cluster']}: every run of this job fails until they are "
                      "(aws ecs put-cluster-capacity-providers; it replaces the list and the default strategy)"]
    elif capacity:
        lines += ["", f"Capacity providers: {', '.join(capacity['needed'])} associated with cluster {data['cluster']}"]
    lines += ["", "Alarms"]
    lines += table(data["alarms"], [("alarm", "ALARM"), ("state", "STATE"), ("reason", "REASON")]) if data["alarms"] else ["(none found)"]
    return lines


def run(args: argparse.Namespace, io) -> int:
    from ..aws.session import Aws
    from ..errors import UsageError
    from ..locate import locate_job

    if args.limit < 1:
        raise UsageError("--limit: give a positive number")
    located = locate_job(args.job, args.config, args.stack_name, args.env)
    data = collect(located, Aws.from_args(args), args.limit)
    if args.output == "json":
        io.out(json.dumps(data, indent=2))
    else:
        for line in render(data):
            io.out(line)
    return 0
