"""Every test file under tests/ is collected: a file pytest skips is a test that silently never runs.

pytest skips folders by name (its default norecursedirs holds build, dist, venv, .* and more), and a file
that fails to import or holds no tests drops out too; tests/build went unseen for a long time that way.
So a fresh pytest process collects tests/ exactly as a plain `pytest` run would, and each test_*.py file
found on disk must appear among the collected tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support import REPO

TESTS = REPO / "tests"
# `-q` prints "path::test" lines; with the -q of addopts as well it prints "path: count" lines instead.
COLLECTED_FILE = re.compile(r"^(tests/\S+?\.py)(?:::|: \d+$)")


def _test_files_on_disk() -> set[str]:
    found = set()
    for folder, _, files in os.walk(TESTS):  # os.walk goes everywhere: no folder is skipped by its name
        for name in files:
            if name.startswith("test_") and name.endswith(".py"):
                found.add((Path(folder) / name).relative_to(REPO).as_posix())
    return found


def _collected_files() -> tuple[set[str], str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    files = {match[1] for line in result.stdout.splitlines() if (match := COLLECTED_FILE.match(line))}
    return files, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_test_file_is_collected():
    on_disk = _test_files_on_disk()
    assert "tests/test_collection.py" in on_disk  # the walk finds files at all
    collected, output = _collected_files()
    missing = sorted(on_disk - collected)
    assert not missing, f"test files pytest does not collect: {missing}\n{output}"
