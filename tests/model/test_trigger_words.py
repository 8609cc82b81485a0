"""Each trigger kind's words: one description that the template, the review and the diagram all render.

The expected texts are what the three separate describers (resources/rules.py, review/summary.py,
review/diagram.py) wrote before the kinds became one table, so the table says exactly what they said.
"""

from __future__ import annotations

import pytest

from generator.triggers import KINDS
from support import spec_from

BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/custom"
CASES = [
    ("{s3_upload: {bucket: b-one}}",
     "S3 Object Created in b-one",
     "S3 Object Created in bucket b-one, any key",
     ("S3 b-one",)),
    ("{s3_upload: {bucket: b-two, prefix: in/, suffix: .csv}}",
     "S3 Object Created in b-two (prefix in/, suffix .csv)",
     "S3 Object Created in bucket b-two, keys starting with 'in/' and ending with '.csv'",
     ("S3 b-two", "prefix in/", "suffix .csv")),
    ("{s3_upload: {bucket: b-three, key_wildcard: 'a*b/*.json'}}",
     "S3 Object Created in b-three (keys a*b/*.json)",
     "S3 Object Created in bucket b-three, keys matching 'a*b/*.json'",
     ("S3 b-three", "keys a*b/*.json")),
    ("{event_pattern: {source: [my.app], detail-type: [A, B]}}",
     "events matching the pattern",
     'events on the default bus matching {"source":["my.app"],"detail-type":["A","B"]}',
     ("events", "source: my.app", "detail-type: A, B")),
    (f"{{event_bus: '{BUS_ARN}', event_pattern: {{source: [my.app]}}}}",
     f"events matching the pattern on bus {BUS_ARN}",
     f'events on bus {BUS_ARN} matching {{"source":["my.app"]}}',
     ("events", "source: my.app", "bus custom")),
    ("{event_bus: orders, event_pattern: {detail-type: ['Ünïcode \"q\"']}}",
     "events matching the pattern on bus orders",
     'events on bus orders matching {"detail-type":["Ünïcode \\"q\\""]}',
     ("events", 'detail-type: Ünïcode "q"', "bus orders")),
    ("{schedule: rate(5 minutes)}",
     "schedule rate(5 minutes)",
     "schedule rate(5 minutes) in UTC",
     ("rate(5 minutes)", "UTC")),
    ("{schedule: 'cron(0 9 * * ? *)', timezone: America/New_York, start: 2027-03-01T00:00:00, "
     "end: '2028-01-01T00:00:00Z', flexible_window: 1h}",
     "schedule cron(0 9 * * ? *) (America/New_York)",
     "schedule cron(0 9 * * ? *) in America/New_York (from 2027-03-01T00:00:00-05:00, "
     "until 2028-01-01T00:00:00+00:00, flexible window 60 min)",
     ("cron(0 9 * * ? *)", "America/New_York")),
    ("{schedule: '@hourly', timezone: Etc/UTC}",
     "schedule cron(0 * * * ? *) (Etc/UTC)",
     "schedule @hourly = cron(0 * * * ? *) in Etc/UTC",
     ("cron(0 * * * ? *)", "Etc/UTC")),
    ("{schedule: '0 2 * * *', start: 2026-12-01}",
     "schedule cron(0 2 * * ? *)",
     "schedule 0 2 * * * = cron(0 2 * * ? *) in UTC (from 2026-12-01T00:00:00+00:00)",
     ("cron(0 2 * * ? *)", "UTC")),
]


@pytest.mark.parametrize("trigger, line, sentence, label", CASES, ids=[c[1] for c in CASES])
def test_a_kinds_words_are_what_the_template_review_and_diagram_said(trigger, line, sentence, label):
    parsed = spec_from(f"jobs:\n  j:\n    image: busybox:1\n    triggers:\n      - {trigger}\n").jobs["j"].triggers[0]
    words = KINDS[parsed.kind].words(parsed)
    assert (words.line, words.sentence, words.label) == (line, sentence, label)


def test_long_patterns_are_cut_in_the_review_sentence():
    values = ", ".join(f"value-{i:03}" for i in range(60))
    parsed = spec_from(f"jobs:\n  j:\n    image: busybox:1\n    triggers:\n"
                       f"      - {{event_pattern: {{source: [{values}]}}}}\n").jobs["j"].triggers[0]
    sentence = KINDS["event_pattern"].words(parsed).sentence
    assert sentence.startswith('events on the default bus matching {"source":["value-000","value-001"')
    assert sentence.endswith("...") and len(sentence) == len("events on the default bus matching ") + 300
