"""One JSON object per line on stdout, which CloudWatch Logs stores and queries as structured events."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import IO, Any


class JsonLog:
    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        record = {
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": level,
            "event": event,
            **fields,
        }
        stream = self._stream or sys.stdout
        stream.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        stream.flush()
