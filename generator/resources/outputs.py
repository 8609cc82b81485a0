"""Stack outputs, each exported under the stack name so other stacks and our own commands can find them."""

from __future__ import annotations

from typing import Any

from troposphere import Export, Output, Sub

from .context import StackContext


def add_output(ctx: StackContext, logical_id: str, value: Any, description: str) -> None:
    ctx.template.add_output(
        Output(
            logical_id,
            Description=description,
            Value=value,
            Export=Export(Sub(f"${{AWS::StackName}}-{logical_id}")),
        )
    )
