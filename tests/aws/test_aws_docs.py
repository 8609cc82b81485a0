"""docs/operate.md, the operator's page for the AWS verbs, names every exit code they can end with."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import ExitStatus

OPERATE = Path(__file__).resolve().parents[2] / "docs" / "operate.md"


def test_operate_md_lists_every_exit_status():
    text = OPERATE.read_text(encoding="utf-8")
    sentence = re.search(r"^Exit codes: (.*?)\n\n", text, re.M | re.S)
    assert sentence, "docs/operate.md: no 'Exit codes:' paragraph"
    listed = {int(code) for code in re.findall(r"(?:^|[,:]\s+)(\d+)\s", sentence.group(1))}
    assert listed == {int(status) for status in ExitStatus}
    assert "--debug" in sentence.group(1)  # how to see the traceback of an internal error
