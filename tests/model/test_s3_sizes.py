"""`s3_upload.min_size` / `max_size`: routing by object size, compiled to `numeric` on `detail.object.size`."""

import pytest

from support import build_dict, spec_from
from generator.errors import SpecError
from generator.eventbridge.samples import s3_object_created
from generator.simulate import simulate
from generator.triggers.s3_upload import parse_size

GIB = 1024**3


@pytest.mark.parametrize("written, size", [
    (0, 0), (1048576, 1048576), ("1GiB", GIB), ("1 GiB", GIB), ("500MB", 500_000_000), ("1.5KiB", 1536),
    ("10B", 10), ("2TB", 2 * 10**12), ("5TiB", 5 * 1024**4), ("50000GiB", 50000 * GIB),
])
def test_sizes(written, size):
    assert parse_size(written) == size


@pytest.mark.parametrize("written, message", [
    ("1GB_", "is not a size"), ("1gib", "is not a size"), ("0.5B", "not a whole number of bytes"),
    ("50001GiB", "can never match"), ("49TiB", "can never match"), (-1, "can never match"), (True, "is not a size"),
])
def test_bad_sizes(written, message):
    with pytest.raises(ValueError, match=message):
        parse_size(written)


def routed_spec():
    return spec_from("""
        jobs:
          small:
            image: python:3.12-slim
            triggers:
              - {name: csv, s3_upload: {bucket: uploads, suffix: .csv, max_size: 1GiB}}
          big:
            image: python:3.12-slim
            triggers:
              - {name: csv, s3_upload: {bucket: uploads, suffix: .csv, min_size: 1073741825}}
    """)


def test_the_pattern_compares_the_size_as_a_number():
    template = build_dict("""
        jobs:
          worker:
            image: python:3.12-slim
            triggers:
              - {name: mid, s3_upload: {bucket: uploads, min_size: 1MiB, max_size: 1GiB}}
    """)
    pattern = template["Resources"]["WorkerMidRule"]["Properties"]["EventPattern"]
    assert pattern["detail"]["object"] == {"size": [{"numeric": [">=", 1048576, "<=", GIB]}]}


@pytest.mark.parametrize("size, runs", [(5, "small"), (GIB, "small"), (GIB + 1, "big"), (4 * GIB, "big")])
def test_big_files_go_to_the_big_task(size, runs):
    outcomes = simulate(routed_spec(), s3_object_created("uploads", "in/a.csv", size=size)).matched
    assert [outcome.job for outcome in outcomes] == [runs]


def test_bounds_that_exclude_every_object_are_refused_at_max_size():
    with pytest.raises(SpecError) as caught:
        spec_from("""
            jobs:
              worker:
                image: python:3.12-slim
                triggers:
                  - s3_upload:
                      bucket: uploads
                      min_size: 2GiB
                      max_size: 1GiB
        """)
    assert "jobs.worker.triggers[0].s3_upload.max_size: max_size (1 GiB) is below min_size (2 GiB)" in str(caught.value)
    assert "spec.yaml:12:" in str(caught.value)
