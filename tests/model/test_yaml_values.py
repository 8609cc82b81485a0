"""YAML values JSON has no form for (dates, binary): the string the user meant, or an error at the line.

Never an internal error (exit 70): these used to fail late with "Object of type date is not JSON serializable".
"""

import json

import pytest

from support import build_dict, run_cli, spec_from
from generator.errors import SpecError

SPEC = """
jobs:
  worker:
    image: python:3.12-slim
    permissions:
      statements:
        - actions: [s3:GetObject]
          resources: ["arn:aws:s3:::b/*"]
          conditions:
            DateGreaterThan: {"aws:CurrentTime": 2026-01-01T00:00:00Z}
    triggers:
      - name: holiday
        event_pattern:
          source: [com.example.calendar]
          detail: {day: [2026-01-01]}
        environment: {DAY: 2026-01-01}
"""


def test_a_yaml_date_is_the_text_as_written():
    template = build_dict(SPEC)
    rule = template["Resources"]["WorkerHolidayRule"]["Properties"]
    assert rule["EventPattern"]["detail"] == {"day": ["2026-01-01"]}
    assert json.loads(rule["Targets"][0]["Input"])["containerOverrides"][0]["environment"] == [
        {"name": "DAY", "value": "2026-01-01"}]
    policies = json.dumps(template["Resources"]["WorkerTaskRole"]["Properties"])
    assert '"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}' in policies


def test_generate_exits_0_with_dates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text("stack: s\ncluster: {name: c}\nnetwork: {subnets: [subnet-12345678], "
                                        "security_groups: [sg-87654321]}\nnotifications: {email: [a@example.com]}"
                                        + SPEC)
    code, _, err = run_cli("generate", "spec.yaml", "--out", "out")
    assert code == 0, err


def test_start_written_as_a_yaml_date_still_works():
    spec = spec_from("""
        jobs:
          worker:
            image: python:3.12-slim
            triggers:
              - schedule: cron(0 2 * * ? *)
                start: 2027-01-01
                timezone: Europe/Paris
    """)
    assert spec.jobs["worker"].triggers[0].start.isoformat() == "2027-01-01T00:00:00+01:00"


@pytest.mark.parametrize("value", ["!!binary aGVsbG8=", "!!set {a, b}"])
def test_values_without_a_json_form_are_refused_at_their_line(value):
    with pytest.raises(SpecError) as caught:
        spec_from(f"""
            jobs:
              worker:
                image: python:3.12-slim
                environment: {{A: {value}}}
                triggers: [{{schedule: rate(1 day)}}]
        """)
    assert str(caught.value).startswith("spec.yaml:")
