"""One planning run and the scenario comparison, on the real Hessen data."""

from __future__ import annotations

import pytest

from wirgeo import maps
from wirgeo.consortia import REASON_CODES
from wirgeo.errors import ArgumentError, InputError
from wirgeo.planning import OUTCOMES, compare, outcomes
from wirgeo.rules import load_rules
from wirgeo.wording import with_reasons


@pytest.fixture(scope="module")
def comparison(municipalities):
    return compare(municipalities, ["default", "mutual", "same_kreis", "band_10k_30k"])


def test_build_ties_eligibility_and_plan_together(planning, municipalities):
    assert planning.plan.status == "optimal"
    assert len(planning.eligibility) == len(municipalities)
    small = set(planning.eligibility.loc[planning.eligibility.eligibility == "verbund_needed",
                                         "ags"])
    placed = {a for m in planning.plan.consortia["member_ags"] for a in m}
    unplaced = set(planning.unplaced["ags"])
    assert placed | unplaced == small and not placed & unplaced
    # a code and its figures for each; its sentence is said where it is shown
    assert planning.unplaced["reason_code"].isin(list(REASON_CODES)).all()
    assert with_reasons(planning.unplaced)["reason"].str.len().gt(20).all()
    assert set(maps.tables_of(planning)) == {"eligibility", "centres", "grantees", "consortia",
                                          "unplaced"}


def test_outcomes_cover_everyone(planning):
    codes = outcomes(planning)
    assert len(codes) == 425 and set(codes) <= set(OUTCOMES)
    counts = codes.value_counts()
    assert counts["verbund"] == planning.plan.n_covered
    assert counts["unplaced"] == len(planning.unplaced)
    assert counts["own_centre"] == 12 and counts["uninhabited"] == 4


def test_comparison_counts_match_independent_runs(comparison, municipalities):
    summary = comparison.summary.set_index("scenario")
    assert summary.at["default", "changed_vs_baseline"] == 0
    for name, run in comparison.runs.items():
        assert summary.at[name, "covered"] == run.plan.n_covered
        assert summary.at[name, "consortia"] == len(run.plan.consortia)
    # a stricter adjacency rule can never cover more (both proven optimal)
    assert summary.at["mutual", "covered"] <= summary.at["default", "covered"]
    assert summary.at["same_kreis", "covered"] <= summary.at["default", "covered"]
    # the 10,000–30,000 band makes the municipalities between 30,000 and 50,000 too large
    large = ((municipalities.population > 30_000) & (municipalities.population <= 50_000)
             & (municipalities.status == "kreisangehoerig")).sum()
    assert summary.at["band_10k_30k", "not_eligible_large"] == large > 0


def test_changed_lists_exactly_the_differing_municipalities(english, comparison):
    out = comparison.outcomes
    for name in ("mutual", "band_10k_30k"):
        changed = comparison.changed(name)
        assert len(changed) == int((out[name] != out["default"]).sum()) > 0
        assert (changed[name] != changed["default"]).all()
        assert comparison.summary.set_index("scenario").at[name, "changed_vs_baseline"] == \
            len(changed)
    assert len(comparison.changed()) >= len(comparison.changed("mutual"))
    with pytest.raises(ArgumentError, match="no scenario 'nope'"):
        comparison.changed("nope")


def test_compare_accepts_rule_objects_and_checks_the_baseline(municipalities):
    cmp = compare(municipalities, {"default": load_rules(),
                                   "pairs": load_rules(max_members=2)})
    assert cmp.summary.set_index("scenario").at["pairs", "covered"] < \
        cmp.summary.set_index("scenario").at["default", "covered"]
    with pytest.raises(ArgumentError, match="baseline"):
        compare(municipalities, ["mutual"])


def test_comparison_map_shows_the_changes(comparison, tmp_path):
    m = maps.comparison_map(comparison, "mutual", tiles=None)
    n = len(comparison.changed("mutual"))
    assert f"{n} Gemeinden ändern sich" in m.get_root().title     # German by default
    text = maps.save_map(m, tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert "GeoBasis-DE / BKG" in text and f"Ergebnisse ({n})" in text
    assert "Outcome" not in text and "Population" not in text
    english = maps.comparison_map(comparison, "mutual", tiles=None, lang="en")
    assert f"{n} Gemeinden change" in english.get_root().title
    text = maps.save_map(english, tmp_path / "cmp_en.html").read_text(encoding="utf-8")
    assert f"Outcome changes ({n})" in text
    with pytest.raises(InputError, match="kein Szenario 'nope'"):
        maps.comparison_map(comparison, "nope")


# ------------------------------------------- issue 20: a Kreis selection is a view of the plan


def test_a_kreis_selection_is_a_view_of_the_statewide_plan(planning, municipalities):
    from wirgeo.planning import PlanningRequest

    fulda = planning.view(["Fulda"])
    assert fulda.kreise == ("06631",) and fulda.plan is planning.plan
    assert set(fulda.members["kreis_ags"]) == {"06631"}
    assert fulda.summary().whole.covered == 228 and fulda.summary().whole.consortia == 92
    # the request's selection is the same view, whoever asks (CLI, planner, dossier)
    asked = PlanningRequest(kreise=("Fulda",)).run(municipalities)
    assert asked.kreise == fulda.kreise and not asked.within_kreise
    assert asked.consortia["member_ags"].tolist() == fulda.consortia["member_ags"].tolist()
    assert planning.statewide().kreise == () and planning.statewide().plan is planning.plan


def test_a_plan_within_kreise_has_no_view_of_others_and_a_statewide_plan(english,
                                                                         municipalities):
    from wirgeo.planning import PlanningRequest

    within = PlanningRequest(kreise=("Fulda",), plan_within_kreise=True).run(municipalities)
    assert within.within_kreise and within.view("06631").within_kreise
    with pytest.raises(ArgumentError, match="only within 06631"):
        within.view("Vogelsbergkreis")
    with pytest.raises(ArgumentError, match="only within"):
        within.view(())
    whole = within.statewide()
    assert not whole.within_kreise and whole.kreise == ()
    assert (whole.plan.coverage().covered, whole.plan.coverage().consortia) == (228, 92)
    assert whole.rules == within.rules
