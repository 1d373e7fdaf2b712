"""The KIV rule set: defaults, scenarios, and one clear error per broken rules file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirgeo.core.paths import data_dir
from wirgeo.errors import RulesError
from wirgeo.rules import KivRules, load_rules, rule_sources, scenario_names

# what an error says is checked in English, its message id (test_language checks German)
pytestmark = pytest.mark.usefixtures("english")

RULES = data_dir() / "kiv_rules.toml"


def _edited(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    """A copy of the real rules file with one text replaced (the original is never touched)."""
    text = RULES.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / "kiv_rules.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_defaults_follow_the_published_rules():
    rules = load_rules()
    assert (rules.single_min, rules.single_max) == (10_000, 50_000)
    assert rules.single_min_inclusive and rules.single_max_inclusive
    assert (rules.member_below, rules.min_members, rules.max_members) == (10_000, 2, 3)
    assert rules.combined_min == 10_000
    assert set(rules.excluded_status) == {"kreisfreie_stadt", "sonderstatusstadt"}
    assert dict(rules.funding_ceiling_eur) == {"KIV I": 20_000, "KIV II": 20_000,
                                               "later": 30_000}
    assert rules.duration_months == (12, 18)
    assert rules.in_single_band(10_000) and rules.in_single_band(50_000)
    assert not rules.in_single_band(9_999) and not rules.in_single_band(50_001)
    assert rules.is_small(9_999) and not rules.is_small(10_000) and not rules.is_small(0)


def test_every_rule_quotes_its_source():
    sources = rule_sources()
    assert {s.rule for s in sources} >= {"single_min", "single_max", "member_below",
                                         "min_members", "max_members", "combined_min",
                                         "excluded_status", "funding_ceiling_eur",
                                         "duration_months"}
    for source in sources:
        assert source.quote.strip(), source.rule
        assert re.match(r"https?://", source.source_url), source.rule
    # rules no text states are flagged as assumptions
    flagged = {s.rule for s in sources if s.assumption}
    assert {"combined_min", "contiguity", "same_kreis", "allow_large_partner"} <= flagged
    assert "single_min" not in flagged


def test_scenarios_include_the_disputed_band():
    names = scenario_names()
    assert "band_10k_30k" in names and "below_50k" in names
    band = load_rules(scenario="band_10k_30k")
    assert band.name == "band_10k_30k" and band.single_max == 30_000
    assert not band.in_single_band(30_001)
    assert not load_rules(scenario="below_50k").in_single_band(50_000)


def test_overrides_are_validated_and_named():
    rules = load_rules(max_members=2, same_kreis=True)
    assert rules.max_members == 2 and rules.same_kreis and rules.name == "default+overrides"
    with pytest.raises(RulesError, match="unknown rule 'max_member'"):
        load_rules(max_member=2)


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(RulesError, match="band_10k_30k"):
        load_rules(scenario="band_10k_20k")


@pytest.mark.parametrize(("old", "new", "column", "needle"), [
    # min > max in the file
    ("[rules.single_min]\nvalue = 10000", "[rules.single_min]\nvalue = 60000",
     "single_min", "value = 60000"),
    # wrong type: a number written as text
    ("[rules.max_members]\nvalue = 3", '[rules.max_members]\nvalue = "3"',
     "max_members", 'value = "3"'),
    # wrong type: a flag that is not true/false
    ("[rules.same_kreis]\nvalue = false", '[rules.same_kreis]\nvalue = "no"',
     "same_kreis", 'value = "no"'),
    # wrong type: a list written as one string
    ('value = ["kreisfreie_stadt", "sonderstatusstadt"]', 'value = "kreisfreie_stadt"',
     "excluded_status", 'value = "kreisfreie_stadt"'),
    # wrong type inside a list
    ("value = [12, 18]", 'value = [12, "18"]', "duration_months", 'value = [12, "18"]'),
    # unknown key inside a rule
    ("[rules.max_members]\nvalue = 3", "[rules.max_members]\nvalue = 3\nmaximum = 3",
     "maximum", "maximum = 3"),
    # unknown rule
    ("[rules.same_kreis]", "[rules.same_kreiss]", "same_kreiss", "[rules.same_kreiss]"),
    # unknown top-level table
    ("[rules.single_min]", "[rule.single_min]", "rule", "[rule.single_min]"),
    # inclusive flag of the wrong type
    ("inclusive = true", 'inclusive = "yes"', "single_min_inclusive", 'inclusive = "yes"'),
    # a gap between the Verbund limit and the single band
    ("[rules.member_below]\nvalue = 10000", "[rules.member_below]\nvalue = 8000",
     "member_below", "value = 8000"),
    # a scenario with a contradiction: it is reported although nobody chose it
    ("single_max = 30000", "single_max = 3000", "single_min", "single_max = 3000"),
    # a scenario with an unknown key
    ('contiguity = "mutual"', 'contiguity_mode = "mutual"', "contiguity_mode",
     'contiguity_mode = "mutual"'),
    # a rule without its source
    ('assumption = false\nnote = "The applicant plus', 'assumption = "no"\nnote = "The '
     'applicant plus', "assumption", 'assumption = "no"'),
])
def test_broken_rules_files_name_file_line_and_field(tmp_path, old, new, column, needle):
    path = _edited(tmp_path, old, new)
    with pytest.raises(RulesError) as info:
        load_rules(path)
    error = info.value
    assert error.source == str(path)
    assert error.column == column
    assert error.row == _line(path, needle)
    assert str(path) in str(error) and f"row {error.row}" in str(error)


def test_missing_source_url_is_refused(tmp_path):
    text = RULES.read_text(encoding="utf-8")
    block = text.split("[rules.max_members]")[1].split("\n\n")[0]
    url_line = next(line for line in block.splitlines() if line.startswith("source_url"))
    path = _edited(tmp_path, "[rules.max_members]" + block,
                   "[rules.max_members]" + block.replace(url_line + "\n", ""))
    with pytest.raises(RulesError, match="has no source_url") as info:
        load_rules(path)
    assert info.value.row == _line(path, "[rules.max_members]")


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(_edited(tmp_path, "value = 10000", "value = = 10000"))
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "nowhere.toml")


@given(low=st.integers(0, 200_000), high=st.integers(0, 200_000))
def test_bounds_are_ordered_for_any_values(low, high):
    if low > high:
        with pytest.raises(RulesError, match="single_min"):
            KivRules(single_min=low, single_max=high, member_below=max(low, 1))
    else:
        rules = KivRules(single_min=low, single_max=high, member_below=low,
                         combined_min=0, combined_max=max(high, 1))
        assert rules.in_single_band(low) and rules.in_single_band(high)


def test_cli_rules_prints_sources(run_cli):
    code, out, err = run_cli("rules", "--lang", "de")
    assert code == 0, err
    assert "single_min = 10000" in out and "band_10k_30k" in out
    assert "https://integrationskompass.hessen.de" in out and "[ANNAHME]" in out
    assert out.startswith("Regeln 'default': Einzelantrag 10.000–50.000")
    code, out, err = run_cli("rules", "--lang", "en")
    assert "[ASSUMPTION]" in out and out.startswith("Rules 'default': single applicants")


def test_cli_rejects_a_broken_rules_file_and_writes_nothing(tmp_path, run_cli):
    path = _edited(tmp_path, "[rules.single_min]\nvalue = 10000",
                   "[rules.single_min]\nvalue = 60000")
    code, out, err = run_cli("rules", "--rules", path)
    assert code == 2 and "Traceback" not in err
    assert f"row {_line(path, 'value = 60000')}" in err and "single_min" in err
    target = tmp_path / "out" / "eligibility.csv"
    code, out, err = run_cli("eligibility", "--rules", path, "--out", target)
    assert code == 2 and "single_min" in err
    code, out, err = run_cli("summary", "--rules", path, "--out", tmp_path / "s.xlsx")
    assert code == 2
    assert not target.exists() and not (tmp_path / "s.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiv_rules.toml"]


def test_near_threshold_margin_is_a_documented_rule():
    rules = load_rules()
    assert rules.near_threshold_margin == 0.03
    source = {s.rule: s for s in rule_sources()}["near_threshold_margin"]
    assert source.assumption and source.quote.strip() and source.source_url.startswith("http")
    with pytest.raises(RulesError, match="near_threshold_margin must be a share"):
        load_rules(near_threshold_margin=1.2)
    with pytest.raises(RulesError, match="near_threshold_margin"):
        load_rules(near_threshold_margin="3 %")


def test_near_threshold_flags_both_sides_of_10000_and_50000(municipalities):
    rules = load_rules()
    pop = municipalities["population"].to_numpy()
    flags = rules.near_threshold(pop)
    assert set(flags) <= {"", "below_10000", "above_10000", "below_50000", "above_50000"}
    assert {"below_10000", "above_10000"} <= set(flags)
    for code, low, high in (("below_10000", 9_700, 9_999), ("above_10000", 10_000, 10_300),
                            ("below_50000", 48_500, 49_999), ("above_50000", 50_000, 51_500)):
        inside = (pop >= low) & (pop <= high)
        assert ((flags == code) == inside).all(), code
    assert (flags[pop == 0] == "").all()
    wider = rules.replace(near_threshold_margin=0.1).near_threshold([9_000, 8_999, 45_000])
    assert wider.tolist() == ["below_10000", "", "below_50000"]


# ------------------------------------------------ issue 20: one home for each rule check


BAD_TIME_LIMITS = [0, -1, True, float("nan"), float("inf"), "60"]


def test_time_limit_is_checked_in_one_place_with_one_message(municipalities):
    from wirgeo.consortia import plan, plan_flexibility
    from wirgeo.errors import ArgumentError
    from wirgeo.planning import PlanningRequest
    from wirgeo.rules import check_time_limit

    vogelsberg = plan(municipalities, load_rules(), kreise="Vogelsbergkreis")
    for value in BAD_TIME_LIMITS:
        messages = set()
        calls = ((check_time_limit, (value,), {}),
                 (PlanningRequest, (), {"time_limit": value}),
                 (plan_flexibility, (vogelsberg,), {"time_limit": value}),
                 (plan, (municipalities, load_rules()),
                  {"kreise": "Vogelsbergkreis", "time_limit": value}))
        for function, args, kwargs in calls:
            with pytest.raises(ArgumentError, match="must be a positive number of seconds"
                               ) as caught:
                function(*args, **kwargs)
            messages.add(str(caught.value))
        assert len(messages) == 1, messages
    assert check_time_limit(0.5) == 0.5 and check_time_limit(None) is None


def test_group_predicates_follow_the_rule_values():
    rules = KivRules(max_members=3, combined_min=10_000, combined_max=20_000)
    assert [rules.members_fit(n) for n in (1, 2, 3, 4)] == [False, True, True, False]
    assert [rules.room_for_member(n) for n in (2, 3)] == [True, False]
    assert [rules.population_fits(t) for t in (9_999, 10_000, 20_000, 20_001)] == [
        False, True, True, False]
    assert rules.max_large_members == 0 and KivRules(allow_large_partner=True).max_large_members
    assert rules.group_breaks([6_000, 6_000, 6_000, 6_000]) == {
        "too_many_members": (), "population_above_max": ()}
    assert rules.group_breaks([0, 12_000]) == {"member_too_large": (0, 1)}
    assert KivRules(allow_large_partner=True).group_breaks([3_000, 12_000]) == {}


def test_every_candidate_group_meets_the_rules_predicates_on_hessen(municipalities):
    """The enumeration and the checks ask the same predicates: they agree on real data."""
    from wirgeo.consortia.checks import rule_breaks
    from wirgeo.consortia.enumeration import candidates, groups_with
    from wirgeo.consortia.instance import prepare

    rules = load_rules()
    inst = prepare(municipalities, rules)
    groups = candidates(inst).groups
    assert len(groups) > 900
    for group in groups:
        assert rules.group_feasible([int(inst.pop[i]) for i in group]), group
        assert rule_breaks(inst, group) == {}, group
    # relaxed (as the reasons ask): every group within the bounds is a candidate again
    u = groups[0][0]
    relaxed = groups_with(inst, u, combined_bounds=False, same_kreis=False)
    fitting = {g for g in relaxed if rules.population_fits(sum(int(inst.pop[i]) for i in g))}
    assert fitting <= set(groups) and u in {i for g in fitting for i in g}
    assert len(relaxed) >= len(fitting)


def test_rule_changes_name_every_rule():
    """The keyword arguments of optimal_plan(…, max_members=2) are typed by RuleChanges:
    the same fields as KivRules (its source file is not a rule)."""
    import dataclasses
    import typing

    from wirgeo.rules import RuleChanges

    rules = typing.get_type_hints(KivRules)
    fields = {f.name: rules[f.name] for f in dataclasses.fields(KivRules) if f.name != "source"}
    assert typing.get_type_hints(RuleChanges) == fields
