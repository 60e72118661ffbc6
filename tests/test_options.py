from typing import Literal

import attrs
import pytest
from steep import UsageError, option
from steep.options import build, describe, parse_assignments


@attrs.frozen
class Options:
    size: int = option(10, "how many", check=attrs.validators.gt(0))
    rate: float = option(0.5, "how fast")
    flag: bool = option(False, "whether")
    mode: Literal["a", "b"] = option("a", "which")
    limit: int | None = option(None, "an optional cap")


def test_text_values_are_parsed_by_type():
    built = build(
        Options,
        {"size": "3", "rate": "1e-3", "flag": "yes", "mode": "b", "limit": "none"},
        from_text=True,
    )
    assert built == Options(size=3, rate=0.001, flag=True, mode="b", limit=None)
    assert build(Options, {"limit": "7"}, from_text=True).limit == 7


def test_python_values_are_checked_by_type():
    assert build(Options, {"rate": 2, "size": 4.0}).rate == 2.0
    for values, message in [
        ({"size": 2.5}, "option size=2.5: expected an integer"),
        ({"size": True}, "option size=True: expected an integer"),
        ({"rate": "fast"}, "option rate='fast': expected a number"),
        ({"mode": "c"}, "option mode='c': expected one of 'a', 'b'"),
        ({"flag": 1}, "option flag=1: expected true or false"),
    ]:
        with pytest.raises(UsageError) as error:
            build(Options, values, owner="opt")
        assert str(error.value) == f"opt: {message}"


def test_range_errors_name_the_field_and_value():
    with pytest.raises(UsageError, match="'size' must be > 0: 0"):
        build(Options, {"size": 0})


def test_unknown_option_lists_the_known_ones():
    with pytest.raises(
        UsageError, match=r"unknown option 'sise'; did you mean 'size'\? \(options: size, rate"
    ):
        build(Options, {"sise": 1})


def test_describe_reports_types_defaults_and_docs():
    described = {o.name: o for o in describe(Options)}
    assert described["mode"].type == "'a' | 'b'"
    assert described["limit"].type == "int | None"
    assert described["size"].default == 10 and described["size"].doc == "how many"


def test_assignments_need_an_equals_sign():
    assert parse_assignments(["a=1", "chunk-size = 4"]) == {"a": "1", "chunk_size": "4"}
    with pytest.raises(UsageError, match="'a' is not of the form key=value"):
        parse_assignments(["a"])


def test_infinite_numbers_are_refused_unless_an_option_allows_them():
    @attrs.frozen
    class Steps:
        step: float = option(1.0, "how far", check=attrs.validators.gt(0))
        limit: float = option(1.0, "no limit by default", allow_infinite=True)

    for text in ("inf", "-inf"):
        with pytest.raises(UsageError, match=f"option step={text!r}: must be a finite number"):
            build(Steps, {"step": text}, from_text=True)
    assert build(Steps, {"limit": "inf"}, from_text=True).limit == float("inf")


def test_a_misspelled_option_gets_a_suggestion():
    @attrs.frozen
    class Steps:
        step: float = option(1.0, "how far")

    with pytest.raises(UsageError, match="unknown option 'stpe'; did you mean 'step'"):
        build(Steps, {"stpe": 2.0})
