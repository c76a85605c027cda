"""The programme file loader: what it refuses, and how it says so.

Every refusal is :class:`InvalidInput` whose text names the source file, the exact key path
(``stations[0].staff[1].qualification``) and what was expected. Cases are made by changing the
parsed example and writing it back as TOML, so each test changes exactly one thing.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from sgz_core.enums import EvaluationKind, FundingSource
from sgz_core.errors import InvalidInput
from sgz_core.model import Evaluation, Expense, Funding, Premises
from sgz_core.money import to_money
from sgz_core.programme_file import dumps, from_dict, loads, parse_toml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "chengguan.toml"
EXAMPLE_TEXT = EXAMPLE_PATH.read_text(encoding="utf-8")
EXAMPLE_DATA = parse_toml(EXAMPLE_TEXT, "chengguan.toml")
SOURCE = "programmes/chengguan.toml"

Data = dict[str, Any]


def mutated(change: Callable[[Data], object]) -> str:
    """The example as TOML text after ``change`` edited its parsed data in place."""
    data = copy.deepcopy(EXAMPLE_DATA)
    change(data)
    return tomli_w.dumps(data)


def refused(text: str, source: str = SOURCE) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        loads(text, source)
    return info.value


def assert_problem(exc: InvalidInput, path: str, *expected: str) -> None:
    """``exc`` names its source and has a problem at ``path`` saying each of ``expected``."""
    text = str(exc)
    assert exc.source == SOURCE
    assert text.startswith(f"{SOURCE}: ")
    assert path in text
    matching = [p for p in exc.problems if p.path == path]
    assert matching, f"no problem at {path!r}; got {[p.path for p in exc.problems]}"
    for phrase in expected:
        assert any(phrase in p.message for p in matching), (phrase, [p.message for p in matching])


def station(data: Data, i: int = 0) -> Data:
    station_data: Data = data["stations"][i]
    return station_data


# --- the example --------------------------------------------------------------------------------


def test_the_example_loads() -> None:
    programme = loads(EXAMPLE_TEXT, str(EXAMPLE_PATH))
    assert programme.id == "chengguan-2024"
    assert [s.id for s in programme.stations] == ["zhengning", "yanbin", "zhanjiaguaizi"]
    # TOML decimals are read exactly, never through a binary float
    amount = programme.station("zhengning").year(1).expenses[1].amount
    assert amount == Decimal("6800.50") and isinstance(amount, Decimal)
    assert programme.station("zhanjiaguaizi").premises.activity_area_m2 == Decimal("205.5")  # type: ignore[union-attr]


def test_loads_dumps_round_trip_on_the_example() -> None:
    programme = loads(EXAMPLE_TEXT, str(EXAMPLE_PATH))
    text = dumps(programme)
    assert loads(text, "dumped.toml") == programme
    assert dumps(loads(text, "dumped.toml")) == text


def test_unmutated_data_written_back_loads() -> None:
    assert loads(mutated(lambda d: None), SOURCE) == loads(EXAMPLE_TEXT, SOURCE)


# --- unknown enumeration values -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (
            lambda d: station(d)["staff"][1].update(qualification="master"),
            "stations[0].staff[1].qualification",
            "one of none | assistant | intermediate | senior",
        ),
        (
            lambda d: station(d)["staff"][0].update(role="volunteer"),
            "stations[0].staff[0].role",
            "one of resident | dispatched",
        ),
        (
            lambda d: station(d, 1)["years"][0]["funding"][2].update(source="county"),
            "stations[1].years[0].funding[2].source",
            "one of province | city | district",
        ),
        (
            lambda d: station(d)["years"][0]["evaluations"][0].update(kind="annual"),
            "stations[0].years[0].evaluations[0].kind",
            "one of mid_term | final",
        ),
        (
            lambda d: station(d)["years"][0]["evaluations"][1].update(outcome="fail"),
            "stations[0].years[0].evaluations[1].outcome",
            "one of pass | correct | suspend | stop",
        ),
        (
            lambda d: station(d)["years"][0]["expenses"][0].update(fund="bank"),
            "stations[0].years[0].expenses[0].fund",
            "one of province",
        ),
        (
            lambda d: station(d)["premises"].update(equipment=["desk", "fax"]),
            "stations[0].premises.equipment[1]",
            "one of desk | chair",
        ),
        (
            lambda d: station(d, 2)["premises"].update(shared_facilities=["gym"]),
            "stations[2].premises.shared_facilities[0]",
            "one of children_home",
        ),
        (
            lambda d: station(d)["premises"].update(rooms=["kitchen"]),
            "stations[0].premises.rooms[0]",
            "one of casework_room | group_room | incubation_base",
        ),
    ],
)
def test_unknown_enumeration_value(
    change: Callable[[Data], object], path: str, expected: str
) -> None:
    assert_problem(refused(mutated(change)), path, "expected " + expected)


def test_unknown_enumeration_value_names_the_bad_value() -> None:
    exc = refused(mutated(lambda d: station(d)["staff"][1].update(qualification="master")))
    assert str(exc) == (
        f"{SOURCE}: stations[0].staff[1].qualification: "
        "expected one of none | assistant | intermediate | senior, got str 'master'"
    )


def test_an_expense_category_is_free_text_not_an_enumeration() -> None:
    # unknown categories load, and FUND-3 speaks about them
    text = mutated(lambda d: station(d)["years"][0]["expenses"][0].update(category="banquet"))
    assert loads(text, SOURCE).stations[0].years[0].expenses[0].category == "banquet"


# --- unknown keys -----------------------------------------------------------------------------


def test_a_misspelt_activity_area_is_an_error() -> None:
    def misspell(d: Data) -> None:
        premises = station(d)["premises"]
        premises["activity_area"] = premises.pop("activity_area_m2")

    exc = refused(mutated(misspell))
    assert_problem(exc, "stations[0].premises.activity_area", "unknown key", "activity_area_m2")
    # and the real key is reported missing, not taken as zero
    assert_problem(exc, "stations[0].premises.activity_area_m2", "missing required key")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda d: station(d)["staff"][2].update(qualifcation="none"),
            "stations[0].staff[2].qualifcation",
        ),
        (lambda d: station(d, 1).update(manager="x"), "stations[1].manager"),
        (lambda d: d["contractors"][1].update(phone="123"), "contractors[1].phone"),
        (
            lambda d: station(d)["years"][1].update(singed=dt.date(2025, 7, 1)),
            "stations[0].years[1].singed",
        ),
        (lambda d: station(d)["signage"].update(logos=True), "stations[0].signage.logos"),
        (lambda d: d["programme"].update(district="城关区"), "programme.district"),
    ],
)
def test_unknown_key(change: Callable[[Data], object], path: str) -> None:
    assert_problem(refused(mutated(change)), path, "unknown key", "expected one of")


def test_unknown_top_level_key() -> None:
    exc = refused(mutated(lambda d: d.update(residents=[{"name": "x"}])))
    assert_problem(exc, "residents", "unknown key", "programme, contractors, stations")


def test_unknown_key_in_programme_lists_the_header_keys() -> None:
    exc = refused(mutated(lambda d: d["programme"].update(owner="x")))
    assert_problem(exc, "programme.owner", "expected one of id, name, profile, start")


# --- missing keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (lambda d: station(d).pop("street"), "stations[0].street", "a string"),
        (lambda d: station(d).pop("contractor"), "stations[0].contractor", "a string"),
        (lambda d: station(d, 2)["staff"][0].pop("role"), "stations[2].staff[0].role", "resident"),
        (
            lambda d: station(d)["years"][0]["funding"][1].pop("amount"),
            "stations[0].years[0].funding[1].amount",
            "an amount in yuan",
        ),
        (lambda d: station(d)["years"][1].pop("year"), "stations[0].years[1].year", "an integer"),
        (
            lambda d: station(d)["premises"].pop("office_area_m2"),
            "stations[0].premises.office_area_m2",
            "m²",
        ),
        (lambda d: d["contractors"][0].pop("uscc"), "contractors[0].uscc", "a string"),
        (lambda d: d["programme"].pop("start"), "programme.start", "a date"),
        (lambda d: d["programme"].pop("id"), "programme.id", "a string"),
    ],
)
def test_missing_required_key(change: Callable[[Data], object], path: str, expected: str) -> None:
    assert_problem(refused(mutated(change)), path, "missing required key", expected)


def test_missing_programme_table() -> None:
    exc = refused(mutated(lambda d: d.pop("programme")))
    assert_problem(exc, "programme", "missing required table [programme]")


def test_programme_that_is_not_a_table() -> None:
    text = EXAMPLE_TEXT.replace("[programme]\n", "programme = 1\n[programm]\n", 1)
    exc = refused(text)
    assert_problem(exc, "programme", "expected a table")


def test_an_evaluation_needs_a_score_or_an_outcome() -> None:
    exc = refused(mutated(lambda d: station(d)["years"][0]["evaluations"][0].pop("score")))
    assert_problem(exc, "stations[0].years[0].evaluations[0]", "a score, an outcome, or both")


# --- wrong types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        # string for an integer
        (
            lambda d: station(d).update(lot="1"),
            "stations[0].lot",
            "expected an integer, got str '1'",
        ),
        (
            lambda d: station(d)["years"][0].update(year="1"),
            "stations[0].years[0].year",
            "expected an integer",
        ),
        # integer for a string
        (
            lambda d: station(d).update(street=7),
            "stations[0].street",
            "expected a string, got int 7",
        ),
        (
            lambda d: station(d)["staff"][0].update(name=1),
            "stations[0].staff[0].name",
            "expected a string",
        ),
        (
            lambda d: station(d)["staff"][0].update(qualification=3),
            "stations[0].staff[0].qualification",
            "expected one of none",
        ),
        # string where a list is expected
        (
            lambda d: station(d).update(communities="正宁路社区"),
            "stations[0].communities",
            "expected a list",
        ),
        (
            lambda d: station(d)["premises"].update(equipment="desk"),
            "stations[0].premises.equipment",
            "expected a list",
        ),
        (
            lambda d: station(d)["signage"].update(plaques="兰州"),
            "stations[0].signage.plaques",
            "expected a list",
        ),
        # a table where a list of tables is expected, and the other way round
        (lambda d: station(d).update(staff={"name": "x"}), "stations[0].staff", "expected a list"),
        (lambda d: station(d).update(premises=[]), "stations[0].premises", "expected a table"),
        # booleans
        (
            lambda d: station(d)["signage"].update(logo="yes"),
            "stations[0].signage.logo",
            "expected true or false",
        ),
        (
            lambda d: station(d)["staff"][0].update(social_work_degree=1),
            "stations[0].staff[0].social_work_degree",
            "expected true or false",
        ),
        (lambda d: station(d).update(lot=True), "stations[0].lot", "expected an integer"),
        # numbers
        (
            lambda d: station(d)["years"][0]["expenses"][0].update(amount=True),
            "stations[0].years[0].expenses[0].amount",
            "boolean",
        ),
        (
            lambda d: station(d)["years"][0]["evaluations"][0].update(score=[86]),
            "stations[0].years[0].evaluations[0].score",
            "expected a score from 0 to 100",
        ),
        (
            lambda d: station(d)["premises"].update(activity_area_m2={"value": 1}),
            "stations[0].premises.activity_area_m2",
            "expected an area",
        ),
        # dates
        (
            lambda d: station(d)["years"][0].update(signed=20240701),
            "stations[0].years[0].signed",
            "expected a date like 2024-07-01",
        ),
    ],
)
def test_wrong_type(change: Callable[[Data], object], path: str, expected: str) -> None:
    assert_problem(refused(mutated(change)), path, expected)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda d: station(d)["years"][0]["expenses"][0].update(amount="12000"),
            "stations[0].years[0].expenses[0].amount",
        ),
        (
            lambda d: station(d)["years"][0]["funding"][0].update(amount="50000.00"),
            "stations[0].years[0].funding[0].amount",
        ),
        (
            lambda d: station(d)["premises"].update(activity_area_m2="220"),
            "stations[0].premises.activity_area_m2",
        ),
        (
            lambda d: station(d)["years"][0]["evaluations"][0].update(score="86"),
            "stations[0].years[0].evaluations[0].score",
        ),
    ],
)
def test_a_string_is_never_taken_for_a_number(change: Callable[[Data], object], path: str) -> None:
    assert_problem(refused(mutated(change)), path, "got str")


def test_a_datetime_is_not_a_date() -> None:
    exc = refused(
        mutated(lambda d: station(d)["years"][0].update(signed=dt.datetime(2024, 7, 1, 10, 0)))
    )
    assert_problem(
        exc, "stations[0].years[0].signed", "expected a date like 2024-07-01 without a time"
    )


def test_a_datetime_is_not_a_start_date() -> None:
    exc = refused(mutated(lambda d: d["programme"].update(start=dt.datetime(2024, 7, 1))))
    assert_problem(exc, "programme.start", "without a time")


def test_a_score_above_100_is_refused() -> None:
    exc = refused(mutated(lambda d: station(d)["years"][0]["evaluations"][0].update(score=101)))
    assert_problem(exc, "stations[0].years[0].evaluations[0].score", "from 0 to 100")


def test_contract_year_zero_is_refused() -> None:
    exc = refused(mutated(lambda d: station(d)["years"][1].update(year=0)))
    assert "stations[0].years[1]" in str(exc)
    assert "from 1 to" in str(exc)


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda d: station(d)["years"][0]["expenses"][0].update(amount=-12000),
            "stations[0].years[0].expenses[0].amount",
        ),
        (
            lambda d: station(d)["years"][0]["funding"][0].update(amount=Decimal("-0.01")),
            "stations[0].years[0].funding[0].amount",
        ),
    ],
)
def test_negative_amounts_are_refused(change: Callable[[Data], object], path: str) -> None:
    assert_problem(refused(mutated(change)), path, "expected zero or more yuan")


def test_a_negative_area_is_refused() -> None:
    exc = refused(mutated(lambda d: station(d)["premises"].update(office_area_m2=-1)))
    assert_problem(exc, "stations[0].premises.office_area_m2", "zero or more")


@pytest.mark.parametrize("amount", ["0.001", "12000.001", "0.005"])
def test_fractions_of_a_fen_are_refused(amount: str) -> None:
    text = mutated(lambda d: station(d)["years"][0]["expenses"][0].update(amount=Decimal(amount)))
    exc = refused(text)
    assert_problem(exc, "stations[0].years[0].expenses[0].amount", "exact to the fen (0.01)")


def test_fractions_of_a_fen_in_the_toml_text_are_refused() -> None:
    text = EXAMPLE_TEXT.replace("amount = 6800.50", "amount = 6800.505", 1)
    assert_problem(refused(text), "stations[0].years[0].expenses[1].amount", "exact to the fen")


def test_trailing_zeros_below_the_fen_are_fine() -> None:
    text = EXAMPLE_TEXT.replace("amount = 6800.50", "amount = 6800.5000", 1)
    assert loads(text, SOURCE).stations[0].years[0].expenses[1].amount == Decimal("6800.50")


def test_a_negative_zero_is_read_and_written_as_zero() -> None:
    text = EXAMPLE_TEXT.replace("amount = 4200", "amount = -0.0", 1)
    text = text.replace("activity_area_m2 = 220", "activity_area_m2 = -0.0", 1)
    programme = loads(text, SOURCE)
    assert str(programme.stations[0].years[0].expenses[2].amount) == "0.00"
    assert str(programme.stations[0].premises.activity_area_m2) == "0.0"  # type: ignore[union-attr]
    again = loads(dumps(programme), "dumped.toml")
    assert str(again.stations[0].years[0].expenses[2].amount) == "0.00"
    assert "= -0" not in dumps(programme)


def test_zero_is_a_valid_amount() -> None:
    text = mutated(lambda d: station(d)["years"][0]["funding"][3].update(amount=0))
    assert loads(text, SOURCE).stations[0].years[0].funding[3].amount == Decimal("0.00")


@pytest.mark.parametrize("value", [1.5, 0.1, 150000.0])
def test_to_money_refuses_binary_floats(value: float) -> None:
    with pytest.raises(InvalidInput, match="binary float"):
        to_money(value)


def test_model_objects_refuse_binary_floats() -> None:
    with pytest.raises(InvalidInput, match="binary float"):
        Funding(source=FundingSource.PROVINCE, amount=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="binary float"):
        Expense(dt.date(2024, 8, 1), "posts", FundingSource.CITY, 0.1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Premises(activity_area_m2=220.5, office_area_m2=15)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Evaluation(EvaluationKind.MID_TERM, dt.date(2025, 1, 1), score=86.5)  # type: ignore[arg-type]


def test_model_objects_refuse_negative_and_sub_fen_amounts() -> None:
    with pytest.raises(InvalidInput, match="zero or more"):
        Funding(FundingSource.CITY, Decimal(-1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="exact to the fen"):
        Funding(FundingSource.CITY, Decimal("0.001"))  # type: ignore[arg-type]


def test_from_dict_refuses_a_binary_float_with_its_path() -> None:
    data = copy.deepcopy(EXAMPLE_DATA)
    station(data)["years"][0]["funding"][0]["amount"] = 50000.0
    with pytest.raises(InvalidInput) as info:
        from_dict(data, SOURCE)
    assert_problem(info.value, "stations[0].years[0].funding[0].amount", "binary float")


# --- references and duplicates ----------------------------------------------------------------


def test_unknown_station_contractor() -> None:
    exc = refused(mutated(lambda d: station(d, 1).update(contractor="hexn")))
    assert_problem(
        exc, "stations[1].contractor", "unknown contractor 'hexn'", "expected one of anning, hexin"
    )


def test_unknown_staff_employer() -> None:
    exc = refused(mutated(lambda d: station(d)["staff"][1].update(employer="nobody")))
    assert_problem(
        exc, "stations[0].staff[1].employer", "unknown contractor 'nobody'", "anning, hexin"
    )


def test_a_reference_with_no_contractors_at_all() -> None:
    exc = refused(mutated(lambda d: d.pop("contractors")))
    assert_problem(exc, "stations[0].contractor", "no contractors defined")


def test_duplicate_station_ids() -> None:
    exc = refused(mutated(lambda d: station(d, 2).update(id="zhengning")))
    assert_problem(exc, "stations[2].id", "duplicate station id 'zhengning'")


def test_duplicate_contractor_ids() -> None:
    exc = refused(mutated(lambda d: d["contractors"][1].update(id="hexin")))
    assert "contractors[1].id" in str(exc)
    assert "duplicate contractor id 'hexin'" in str(exc)


def test_duplicate_year_numbers() -> None:
    exc = refused(mutated(lambda d: station(d)["years"][1].update(year=1)))
    assert_problem(exc, "stations[0].years[1].year", "duplicate contract year 1")


# --- syntax, shape -----------------------------------------------------------------------------


def test_invalid_toml_syntax() -> None:
    exc = refused(EXAMPLE_TEXT.replace("lot = 1", "lot = ", 1))
    assert str(exc).startswith(f"{SOURCE}: not valid TOML")
    assert "line 24" in str(exc)


def test_duplicate_toml_key_is_a_syntax_error() -> None:
    exc = refused(EXAMPLE_TEXT.replace("lot = 1", "lot = 1\nlot = 2", 1))
    assert "not valid TOML" in str(exc)


def test_a_source_name_is_used_even_without_a_path() -> None:
    with pytest.raises(InvalidInput) as info:
        loads("[programme]\nid = 1\n")
    assert str(info.value).startswith("<string>: ")


# --- several problems ----------------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported() -> None:
    def many(d: Data) -> None:
        station(d).update(lot="1")
        station(d)["staff"][1].update(qualification="master")
        station(d, 1)["years"][0]["expenses"][0].update(amount=-5)
        station(d, 2)["premises"].update(activity_area=1)
        d["contractors"][0].pop("name")

    exc = refused(mutated(many))
    paths = {p.path for p in exc.problems}
    assert {
        "stations[0].lot",
        "stations[0].staff[1].qualification",
        "stations[1].years[0].expenses[0].amount",
        "stations[2].premises.activity_area",
        "contractors[0].name",
    } <= paths
    text = str(exc)
    assert text.startswith(f"{SOURCE}: {len(exc.problems)} problems:")
    for path in paths:
        assert f"  - {path}: " in text


def test_reference_problems_are_all_reported_too() -> None:
    def refs(d: Data) -> None:
        station(d).update(contractor="x")
        station(d)["staff"][0].update(employer="y")
        station(d, 1).update(id="zhengning")

    # the casework sections' references to the renamed station "yanbin" are reported as well
    paths = {p.path for p in refused(mutated(refs)).problems if p.path.startswith("stations")}
    assert paths == {"stations[0].contractor", "stations[0].staff[0].employer", "stations[1].id"}


def test_programme_level_problems_are_all_reported() -> None:
    exc = refused(mutated(lambda d: (d.pop("programme"), d.update(extra=1))))
    assert {p.path for p in exc.problems} == {"programme", "extra"}
