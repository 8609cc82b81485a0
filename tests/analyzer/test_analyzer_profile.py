"""profile_csv against independent computations with the csv and statistics modules."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import statistics
import time

import duckdb
import pytest
from analyzer_helpers import csv_text
from hypothesis import given, settings as hsettings, strategies as st

from analyzer.errors import UnusableInput
from analyzer.profile import _fits, json_value, profile_csv, report_type
from analyzer.settings import Settings

SETTINGS = Settings(threads=2, memory_limit_bytes=256 * 1024 * 1024)
NOTES = ["plain", "with, comma", 'say "hi"', "two\nlines", "", "ünïcödé ✓", "  spaced  "]


def profile(tmp_path, text: str | bytes, settings: Settings = SETTINGS, name: str = "in.csv") -> dict:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return profile_csv(str(path), settings, str(work))


def realistic_rows(n: int, seed: int = 7) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        rows.append([
            i,
            "" if rng.random() < 0.05 else f"{rng.uniform(-100, 1000):.2f}",
            rng.choice(["true", "false"]) if rng.random() < 0.95 else "",
            (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 365))).isoformat(),
            (dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rng.randint(0, 10**7))).strftime("%Y-%m-%d %H:%M:%S"),
            rng.choices(["red", "green", "blue", "cyan"], weights=[50, 25, 15, 10])[0],
            rng.choice(NOTES),
        ])
    return rows


HEADER = ["id", "amount", "flag", "day", "seen_at", "color", "note"]


@pytest.fixture(scope="module")
def realistic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("realistic")
    rows = realistic_rows(3000)
    text = csv_text(HEADER, rows)
    report = profile(tmp, text)
    parsed = list(csv.DictReader(text.splitlines(keepends=True)))  # independent reference
    return report, parsed


def test_row_and_column_counts_match_the_csv_module(realistic):
    report, parsed = realistic
    assert report["row_count"] == len(parsed) == 3000
    assert report["column_count"] == 7
    assert [c["name"] for c in report["columns"]] == HEADER
    assert report["problems"]["malformed_rows"] == 0


def test_types_are_inferred(realistic):
    report, _ = realistic
    types = {c["name"]: c["type"] for c in report["columns"]}
    assert types == {"id": "integer", "amount": "float", "flag": "boolean", "day": "date",
                     "seen_at": "timestamp", "color": "string", "note": "string"}


def test_numeric_statistics_match_statistics_module(realistic):
    report, parsed = realistic
    cols = {c["name"]: c for c in report["columns"]}
    for name, conv in (("id", int), ("amount", float)):
        values = [conv(r[name]) for r in parsed if r[name] != ""]
        col = cols[name]
        assert col["null_count"] == len(parsed) - len(values)
        assert col["min"] == min(values) and col["max"] == max(values)
        assert col["mean"] == pytest.approx(statistics.fmean(values), rel=1e-9)
        assert col["stddev"] == pytest.approx(statistics.stdev(values), rel=1e-9)


def test_null_counts_lengths_dates_and_booleans(realistic):
    report, parsed = realistic
    cols = {c["name"]: c for c in report["columns"]}
    assert cols["flag"]["null_count"] == sum(r["flag"] == "" for r in parsed)
    assert cols["flag"]["true_count"] == sum(r["flag"] == "true" for r in parsed)
    assert cols["day"]["min"] == min(r["day"] for r in parsed)
    assert cols["day"]["max"] == max(r["day"] for r in parsed)
    assert cols["seen_at"]["max"] == max(r["seen_at"] for r in parsed).replace(" ", "T")
    notes = [r["note"] for r in parsed if r["note"] != ""]
    assert cols["note"]["null_count"] == len(parsed) - len(notes)
    assert cols["note"]["min_length"] == min(map(len, notes))
    assert cols["note"]["max_length"] == max(map(len, notes))  # characters, not bytes; newline included


def test_distinct_counts_are_close_and_top_values_are_right(realistic):
    report, parsed = realistic
    cols = {c["name"]: c for c in report["columns"]}
    for name in HEADER:
        exact = len({r[name] for r in parsed if r[name] != ""})
        assert cols[name]["approx_distinct"] == pytest.approx(exact, rel=0.05), name
    assert cols["color"]["most_frequent"][:2] == ["red", "green"]
    assert set(cols["note"]["most_frequent"]) <= set(NOTES)
    assert cols["id"]["most_frequent"] is None  # every value is distinct: nothing is "most frequent"


def test_report_is_strict_json(realistic):
    report, _ = realistic
    json.dumps(report, allow_nan=False)


def test_quoted_newlines_crlf_and_bom_give_the_same_profile(tmp_path):
    rows = [[i, f"line {i}\nsecond, part" if i % 3 == 0 else f"v{i}"] for i in range(50)]
    lf = profile(tmp_path, csv_text(["n", "text"], rows), name="lf.csv")
    crlf = profile(tmp_path, csv_text(["n", "text"], rows, lineterminator="\r\n"), name="crlf.csv")
    bom = profile(tmp_path, "\ufeff" + csv_text(["n", "text"], rows), name="bom.csv")
    for report in (lf, crlf, bom):
        assert report["row_count"] == 50
        assert [c["name"] for c in report["columns"]] == ["n", "text"]  # no BOM in the first name
        assert report["columns"][1]["max_length"] == len("line 48\nsecond, part")
        assert report["problems"]["malformed_rows"] == 0


def test_ragged_rows_are_skipped_and_counted(tmp_path):
    good = [[i, i * 2, "x"] for i in range(200)]
    tail = csv_text(["a", "b", "c"], good[100:]).split("\n", 1)[1]  # without its header
    text = csv_text(["a", "b", "c"], good[:100]) + "1,2\n" + "1,2,3,4\n" + tail
    report = profile(tmp_path, text)
    assert report["row_count"] == 200
    problems = report["problems"]
    assert problems["malformed_rows"] == 2
    assert problems["by_kind"] == {"missing_columns": 1, "too_many_columns": 1}
    assert [e["line"] for e in problems["examples"]] == [102, 103]
    assert report["columns"][0]["max"] == 199 and report["columns"][1]["max"] == 398


def test_mostly_ragged_input_is_unusable(tmp_path):
    text = "a,b,c\n" + "1,2\n" * 30 + "1,2,3\n" * 10
    with pytest.raises(UnusableInput) as info:
        profile(tmp_path, text)
    assert info.value.code == "too_many_malformed_rows"
    assert info.value.details["problems"]["malformed_rows"] == 30


def test_late_values_that_do_not_fit_the_sniffed_type_widen_the_column(tmp_path):
    rows = [[i, "2024-01-02", "true"] for i in range(30_000)]  # beyond DuckDB's sniff sample
    rows.append(["1.5", "2024-01-03 10:00:00", "maybe"])
    report = profile(tmp_path, csv_text(["n", "d", "b"], rows))
    cols = {c["name"]: c for c in report["columns"]}
    assert report["row_count"] == 30_001
    assert report["problems"]["malformed_rows"] == 0
    assert (cols["n"]["type"], cols["d"]["type"], cols["b"]["type"]) == ("float", "timestamp", "string")
    assert cols["n"]["max"] == 29_999 and cols["n"]["min"] == 0
    assert cols["n"]["mean"] == pytest.approx(statistics.fmean([*range(30_000), 1.5]), rel=1e-12)
    retyped = {c["name"]: (c["from"], c["to"]) for c in report["problems"]["retyped_columns"]}
    assert retyped == {"n": ("integer", "float"), "d": ("date", "timestamp"), "b": ("boolean", "string")}
    assert report["problems"]["type_passes"] == 2


def test_a_rejected_row_does_not_widen_dates_in_the_detected_format(tmp_path):
    """A bad boolean makes DuckDB reject the row; the row's other values are checked again, and a
    03/04/2024 date (format %m/%d/%Y) or 05.06.2024 11:00:00 timestamp is one, though no cast says so."""
    rows = [[f"{i % 12 + 1:02d}/{i % 28 + 1:02d}/2024", "true" if i % 3 else "false",
             f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.2024 10:{i % 60:02d}:00"] for i in range(30_000)]
    rows.append(["03/04/2024", "maybe", "05.06.2024 11:00:00"])
    report = profile(tmp_path, csv_text(["d", "b", "ts"], rows))
    cols = {c["name"]: c for c in report["columns"]}
    assert (cols["d"]["type"], cols["b"]["type"], cols["ts"]["type"]) == ("date", "string", "timestamp")
    assert report["row_count"] == 30_001 and report["problems"]["malformed_rows"] == 0
    assert [c["name"] for c in report["problems"]["retyped_columns"]] == ["b"]
    assert (cols["d"]["min"], cols["d"]["max"]) == ("2024-01-01", "2024-12-28")
    assert cols["ts"]["max"] == "2024-12-28T10:59:00"


def test_a_late_float_alone_on_its_row_makes_an_integer_column_float(tmp_path):
    """DuckDB's reader takes '2.7' for the integer 3 without rejecting the row; nothing else on the row
    is wrong, so only the scan's own check can notice."""
    rows = [[i, "a"] for i in range(30_000)] + [["2.7", "b"], ["1e3", "c"]]
    report = profile(tmp_path, csv_text(["n", "s"], rows))
    n = report["columns"][0]
    assert report["row_count"] == 30_002 and report["problems"]["malformed_rows"] == 0
    assert (n["type"], n["duckdb_type"]) == ("float", "DOUBLE")
    values = [*range(30_000), 2.7, 1000.0]
    assert n["mean"] == pytest.approx(statistics.fmean(values), rel=1e-12)
    assert n["stddev"] == pytest.approx(statistics.stdev(values), rel=1e-9)
    assert (n["min"], n["max"]) == (0, 29_999)
    [change] = report["problems"]["retyped_columns"]
    assert (change["name"], change["from"], change["to"]) == ("n", "integer", "float")
    assert change["example"] in ("2.7", "1e3") and change["line"] is None
    assert report["problems"]["type_passes"] == 2


@pytest.mark.parametrize("late,expected", [
    ("0x10", "string"),  # hexadecimal: DuckDB reads 16
    ("1_000", "string"),  # digit separators: DuckDB reads 1000
    ("+-7", "string"),
    ("1.0", "float"),  # integral, but not an integer literal
    ("9223372036854775808", "float"),  # beyond BIGINT
    ("-0042", "integer"),
    (" 42 ", "integer"),  # spaces around a number are fine
])
def test_integer_typing_is_exact(tmp_path, late, expected):
    rows = [[i, "a"] for i in range(30_000)] + [[late, "b"]]
    report = profile(tmp_path, csv_text(["n", "s"], rows))
    n = report["columns"][0]
    assert n["type"] == expected
    assert report["row_count"] == 30_001 and report["problems"]["malformed_rows"] == 0
    if expected == "integer":
        assert n["min"] == min(0, int(late)) and not report["problems"]["retyped_columns"]
    elif expected == "float":
        assert n["max"] == max(29_999, float(late))


def test_a_late_non_literal_in_a_float_column_makes_it_a_string(tmp_path):
    rows = [[i, i / 4] for i in range(30_000)] + [[1, "1_000"]]
    report = profile(tmp_path, csv_text(["n", "x"], rows))
    assert [c["type"] for c in report["columns"]] == ["integer", "string"]
    assert report["problems"]["retyped_columns"][0]["example"] == "1_000"


BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def number_kind(value: str) -> str:
    """What analyzer/README.md says a field is: "integer", "float" (a number that is not an integer in the
    BIGINT range) or "string". Deliberately not written with the analyzer's regular expressions: Python's
    int() and float() decide, and every exclusion below is a way in which they accept more than the README
    counts as a number."""
    # "spaces around either are allowed": the space character only. int() and float() also strip tabs,
    # newlines and Unicode whitespace (U+00A0, U+2003, ...), which the analyzer does not.
    core = value.strip(" ")
    if core != core.strip():
        return "string"
    # Digit separators: int('1_000') and float('1_0.5') accept them (and so do DuckDB's casts); the README
    # says 1_000 makes a column a string.
    if "_" in core:
        return "string"
    # int() and float() read any Unicode decimal digit ('١٢', fullwidth '１２'); a literal is made of 0-9.
    if not core.isascii():
        return "string"
    # No exclusion needed for what int() and float() already reject: hexadecimal '0x10' (base 10; DuckDB's
    # cast reads 16), '+-7', '1,5', '1 000', '', and whitespace inside a number.
    try:
        n = int(core)
    except ValueError:
        pass
    else:
        # An integer literal beyond the BIGINT range is still a decimal literal: a float.
        return "integer" if BIGINT_MIN <= n <= BIGINT_MAX else "float"
    # float() reads 'inf', 'infinity' and 'nan' in any case and with a sign, as the README's rule does
    # ("inf, nan, any case"), and '1e400' as inf, which is still a decimal literal. The README's report
    # of non-finite values as "inf"/"nan" strings is tested in test_non_finite_floats_stay_valid_json.
    try:
        float(core)
    except ValueError:
        return "string"
    return "float"


NUMBER_CASES = [
    # integers: [+-]?[0-9]+ in the BIGINT range, spaces around allowed
    ("0", "integer"), ("-0", "integer"), ("+0", "integer"), ("+5", "integer"), ("007", "integer"),
    ("-0042", "integer"), (" 42 ", "integer"), ("  +5  ", "integer"), ("9223372036854775807", "integer"),
    ("-9223372036854775808", "integer"), ("0" * 30 + "1", "integer"),  # 31 digits, but 1
    # floats: beyond BIGINT, decimal points, exponents, inf/nan in any case and with a sign
    ("9223372036854775808", "float"), ("-9223372036854775809", "float"), ("1" * 40, "float"),
    ("1.0", "float"), ("1.", "float"), (".5", "float"), ("-.5", "float"), ("+.5", "float"),
    (" 1.5 ", "float"), ("1e3", "float"), ("1E3", "float"), ("1e+3", "float"), ("-1e-3", "float"),
    ("1.e3", "float"), (".5E-3", "float"), ("1e400", "float"), ("1e-400", "float"),
    ("inf", "float"), ("-inf", "float"), ("+Inf", "float"), ("INFINITY", "float"), ("-Infinity", "float"),
    ("nan", "float"), ("NaN", "float"), ("-nan", "float"), ("+NAN", "float"), ("  nan ", "float"),
    # not numbers, although DuckDB's casts (and int()/float() for some) read them
    ("", "string"), (" ", "string"), ("1_000", "string"), ("1_0.5", "string"), ("1e1_0", "string"),
    ("0x10", "string"), ("0X1F", "string"), ("0b1", "string"), ("0o7", "string"), ("+-7", "string"),
    ("--7", "string"), ("+ 5", "string"), ("5-", "string"), ("1,5", "string"), ("1 000", "string"),
    ("1.5.5", "string"), ("1e", "string"), ("e3", "string"), (".", "string"), ("-", "string"),
    (".e3", "string"), ("1e3.5", "string"), ("1d3", "string"), ("$1", "string"), ("1%", "string"),
    ("\t1", "string"), ("1\t", "string"), ("\n1", "string"), ("1\r", "string"), ("\u00a01", "string"),
    ("1\u2003", "string"), ("\u0661\u0662", "string"), ("\uff11\uff12", "string"),
    ("in", "string"), ("infinit", "string"), ("infinityy", "string"), ("Inf inity", "string"),
    ("nan1", "string"), ("snan", "string"), ("1nan", "string"), ("inf5", "string"),
]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def fitted_kind(con, value: str) -> str:
    """The analyzer's verdict: profile._fits applies the scan's own rule (profile._typed)."""
    if _fits(con, value, "BIGINT"):
        assert _fits(con, value, "DOUBLE"), f"{value!r} is an integer but not a float"
        return "integer"
    return "float" if _fits(con, value, "DOUBLE") else "string"


@pytest.mark.parametrize("value,expected", NUMBER_CASES)
def test_number_typing_edge_cases(con, value, expected):
    assert number_kind(value) == expected  # the oracle of the property test below, checked by hand
    assert fitted_kind(con, value) == expected


def test_number_edge_cases_type_a_column_late_in_the_file(tmp_path):
    """The same table through the whole profile: each value comes after the sniffer's sample in an
    integer column of its own, so only the scan's check types it."""
    cases = [(v, t) for v, t in NUMBER_CASES if v.strip(" ")]  # an empty or blank field is a null
    text = csv_text([f"c{i}" for i in range(len(cases))], [[1] * len(cases) for _ in range(30_000)])
    # quoted, because the csv module leaves a '\r' unquoted, and a bare CR inside a line is not CSV
    text += ",".join(f'"{v}"' for v, _ in cases) + "\n"
    report = profile(tmp_path, text)
    assert report["row_count"] == 30_001 and report["problems"]["malformed_rows"] == 0
    assert {v: c["type"] for (v, _), c in zip(cases, report["columns"])} == dict(cases)


# Numbers by the README's rule (and with digit groups, 1_000, which are not), the same with one character
# inserted or removed, and short random text.
_DIGITS = st.one_of(st.text("0123456789", min_size=1, max_size=20), st.sampled_from(["0", "00", "1", "01", "10"]),
                    st.lists(st.text("0123456789", min_size=1, max_size=3), min_size=2, max_size=3).map("_".join))
_WORD = st.sampled_from(["inf", "infinity", "nan"]).flatmap(
    lambda w: st.tuples(*(st.sampled_from([c, c.upper()]) for c in w)).map("".join))
_MANTISSA = st.one_of(
    _DIGITS, _DIGITS,
    st.tuples(_DIGITS, st.just("."), _DIGITS | st.just("")).map("".join), _DIGITS.map(".".__add__),
    st.integers(BIGINT_MIN - 3, BIGINT_MIN + 3).map(str), st.integers(BIGINT_MAX - 3, BIGINT_MAX + 3).map(str),
    _WORD,
)
_EXPONENT = st.one_of(st.just(""), st.tuples(st.sampled_from(["e", "E"]), st.sampled_from(["", "+", "-"]),
                                             _DIGITS).map("".join))
_PAD = st.sampled_from(["", "", " ", "  "])


def _join(parts: tuple[str, str, str, str, str]) -> str:
    pad, sign, mantissa, exponent, end = parts
    return pad + sign + mantissa + (exponent if mantissa[-1].isdigit() else "") + end  # no 'infe3'


_NUMBER = st.tuples(_PAD, st.sampled_from(["", "", "+", "-"]), _MANTISSA, _EXPONENT, _PAD).map(_join)


def _edit(args: tuple[str, int, str]) -> str:
    number, at, char = args
    at %= len(number) + 1
    return number[:at] + char + number[at:] if char else number[:at] + number[at + 1:]


_EDITED = st.tuples(_NUMBER, st.integers(0, 40), st.sampled_from(["", *"_ +-.,eExXa0", "\t", "\n", "\r", "\u00a0",
                                                                    "\u2003", "\u0661"])).map(_edit)
NUMBER_LIKE = st.one_of(_NUMBER, _EDITED, st.text(alphabet="0123456789+-.eExX_ \tinfaINFA", min_size=1, max_size=8))


@hsettings(max_examples=400, deadline=None)
@given(NUMBER_LIKE)
def test_numbers_are_recognised_by_their_literal_only(con, value):
    """The scan's typing rule (profile._typed, also used by _fits) against number_kind, an independent
    definition built on int() and float(). DuckDB's casts accept '+-7', '\t1', '0x1F', '1_0' and more."""
    assert fitted_kind(con, value) == number_kind(value)


def test_a_file_without_a_header_row_is_profiled_with_a_warning(tmp_path):
    report = profile(tmp_path, "1,2,3\n4,5,6\n7,8,9\n")
    assert report["row_count"] == 2 and [c["name"] for c in report["columns"]] == ["1", "2", "3"]
    [warning] = report["problems"]["warnings"]
    assert warning["code"] == "header_looks_like_data" and "no header row" in warning["message"]


@pytest.mark.parametrize("text", [
    "id,amount\n1,2.5\n2,3.5\n",
    "country,2019,2020\nno,1,2\nse,3,4\n",  # year columns next to a name: a real header
    "a,b\n",  # header only
])
def test_an_ordinary_header_gets_no_warning(tmp_path, text):
    assert profile(tmp_path, text)["problems"]["warnings"] == []


@pytest.mark.parametrize("text,delimiter", [("a;b;c\n1;2;3\n", ";"), ("a\tb\n1\t2\n", "\\t"), ("a|b\n1|2\n", "|")])
def test_one_column_whose_name_holds_another_delimiter_gets_a_hint(tmp_path, text, delimiter):
    report = profile(tmp_path, text)
    assert report["column_count"] == 1
    [warning] = report["problems"]["warnings"]
    assert warning["code"] == "delimiter" and warning["message"].endswith(f"set CSV_DELIMITER={delimiter}")


def test_renamed_header_names_are_listed(tmp_path):
    report = profile(tmp_path, "\ufeff a ,a,,b,A\n1,2,3,4,5\n")
    assert [c["name"] for c in report["columns"]] == ["a", "a_1", "column2", "b", "A_2"]
    assert report["problems"]["renamed_columns"] == [
        {"position": 1, "header": " a ", "name": "a", "reason": "spaces trimmed"},
        {"position": 2, "header": "a", "name": "a_1", "reason": "duplicate"},
        {"position": 3, "header": "", "name": "column2", "reason": "empty"},
        {"position": 5, "header": "A", "name": "A_2", "reason": "duplicate"},
    ]
    assert profile(tmp_path, "x,y\n1,2\n")["problems"]["renamed_columns"] == []


def test_a_10_mb_field_is_profiled_and_cut_in_the_report(tmp_path):
    big = "x" * 10_000_000
    report = profile(tmp_path, f'id,payload\n1,"{big}"\n2,small\n')
    col = report["columns"][1]
    assert report["row_count"] == 2
    assert col["max_length"] == 10_000_000 and col["min_length"] == 5
    assert all(len(v) <= SETTINGS.max_value_chars + 1 for v in col["most_frequent"])


def test_header_only(tmp_path):
    report = profile(tmp_path, "a,b,c\n")
    assert report["row_count"] == 0
    assert [c["name"] for c in report["columns"]] == ["a", "b", "c"]
    assert all(c["null_count"] == 0 for c in report["columns"])


@pytest.mark.parametrize("name,data,code", [
    ("empty object", b"", "empty"),
    ("whitespace only", b"\n\r\n  \n", "empty"),
    ("binary named .csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("gzip named .csv", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "compressed"),
    ("UTF-16", "a,b\n1,2\n".encode("utf-16"), "not_utf8"),
    ("invalid UTF-8 near the start", b"a,b\n1,caf\xe9\n2,ok\n", "not_utf8"),
    ("invalid UTF-8 after the first 64 KiB", b"a,b\n" + b"1,ok\n" * 20_000 + b"2,caf\xe9\n", "not_utf8"),
])
def test_unusable_inputs(tmp_path, name, data, code):
    with pytest.raises(UnusableInput) as info:
        profile(tmp_path, data)
    assert info.value.code == code, name


def test_non_finite_floats_stay_valid_json(tmp_path):
    report = profile(tmp_path, "x\n1.5\ninf\n-2\nnan\n")
    col = report["columns"][0]
    assert col["type"] == "float"
    json.dumps(report, allow_nan=False)
    assert col["min"] == -2.0 and col["mean"] == "nan"


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), min_size=2, max_size=60))
def test_integer_columns_match_statistics_for_any_values(tmp_path_factory, values):
    tmp = tmp_path_factory.mktemp("h")
    report = profile(tmp, csv_text(["v"], [[v] for v in values]))
    col = report["columns"][0]
    assert report["row_count"] == len(values)
    assert (col["type"], col["min"], col["max"]) == ("integer", min(values), max(values))
    assert col["mean"] == pytest.approx(sum(values) / len(values), rel=1e-9, abs=1e-6)  # fmean rounds each value


@pytest.mark.parametrize("duckdb_type,expected", [
    ("BIGINT", "integer"), ("HUGEINT", "integer"), ("DOUBLE", "float"), ("DECIMAL(10,2)", "float"),
    ("BOOLEAN", "boolean"), ("DATE", "date"), ("TIMESTAMP", "timestamp"),
    ("TIMESTAMP WITH TIME ZONE", "timestamp"), ("VARCHAR", "string"), ("TIME", "string"),
])
def test_report_type(duckdb_type, expected):
    assert report_type(duckdb_type) == expected


def test_json_value():
    assert json_value(float("inf"), 10) == "inf"
    assert json_value(dt.datetime(2024, 1, 2, 3, 4, 5), 10) == "2024-01-02T03:04:05"
    assert json_value("abcdefghijkl", 5) == "abcde…"
    assert json_value([1, "xy", None], 5) == [1, "xy", None]
    assert not math.isnan(json_value(2.5, 5))


def test_progress_is_reported_during_the_scan(tmp_path):
    rows = [[i, f"text {i % 97}", i * 0.5] for i in range(150_000)]
    events: list[dict] = []
    path = tmp_path / "p.csv"
    path.write_text(csv_text(["a", "b", "c"], rows))
    settings = Settings(threads=1, memory_limit_bytes=256 * 1024 * 1024, progress_seconds=0.001)
    (tmp_path / "w").mkdir()
    profile_csv(str(path), settings, str(tmp_path / "w"), on_progress=events.append)
    assert events and {e["phase"] for e in events} == {"profile pass 1"}
    assert all(0 <= e["percent"] <= 100 for e in events)


def test_timestamps_with_time_zone_are_reported_in_utc_whatever_the_host_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        report = profile(tmp_path, "ts\n2024-03-01 09:15:00+00\n2024-03-04 23:59:59+02\n")
    finally:
        monkeypatch.undo()
        time.tzset()
    col = report["columns"][0]
    assert col["duckdb_type"] == "TIMESTAMP WITH TIME ZONE"
    assert (col["min"], col["max"]) == ("2024-03-01T09:15:00+00:00", "2024-03-04T21:59:59+00:00")
