"""AWS value tables the spec is checked against.

Sources: ECS developer guide, "Task CPU and memory" for Fargate; CloudWatch Logs PutRetentionPolicy.
"""

from __future__ import annotations


def _mib_range(start_gib: int, stop_gib: int, step_gib: int = 1) -> tuple[int, ...]:
    return tuple(gib * 1024 for gib in range(start_gib, stop_gib + 1, step_gib))


# task cpu units -> the memory values (MiB) Fargate offers with it
FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _mib_range(1, 4),
    1024: _mib_range(2, 8),
    2048: _mib_range(4, 16),
    4096: _mib_range(8, 30),
    8192: _mib_range(16, 60, 4),
    16384: _mib_range(32, 120, 8),
}

# ARM64 on Fargate Spot needs platform version 1.4.0 (x86_64: 1.3.0): checked in job_checks.check_platform_features.

LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)


def describe_memory_choices(cpu: int) -> str:
    values = FARGATE_MEMORY_BY_CPU[cpu]
    if len(values) <= 4:
        return ", ".join(str(v) for v in values)
    step = values[1] - values[0]
    return f"{values[0]} to {values[-1]} in steps of {step}"
