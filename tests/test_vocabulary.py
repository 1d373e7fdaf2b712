"""The code types of wirgeo.vocabulary: one list of codes per kind, used in signatures."""

from __future__ import annotations

from typing import get_args

from wirgeo import vocabulary as v


def test_each_code_type_names_exactly_its_vocabulary():
    pairs = ((v.EligibilityClass, v.ELIGIBILITY), (v.ReasonCode, v.REASONS),
             (v.OutcomeCode, v.OUTCOMES), (v.PlanStatus, v.PLAN_STATUS),
             (v.FlexibilityCode, v.FLEXIBILITY), (v.PlacedIn, v.PLACED_IN))
    for kind, vocabulary in pairs:
        assert get_args(kind) == vocabulary.codes, vocabulary.name
    assert set(v.REASON_OF_CLASS) <= set(get_args(v.EligibilityClass))
    assert set(v.REASON_OF_CLASS.values()) <= set(get_args(v.ReasonCode))
    assert set(v.OUTCOME_OF_CLASS.values()) <= set(get_args(v.OutcomeCode))


def test_the_statewide_plan_speaks_only_these_codes(planning):
    plan = planning.plan
    assert plan.status in get_args(v.SolveStatus)
    assert set(plan.members["reason_code"]) <= set(get_args(v.ReasonCode))
    assert set(planning.eligibility["eligibility"]) <= set(get_args(v.EligibilityClass))
    flexibility = planning.flexibility()
    assert set(flexibility.consortia["flexibility"]) <= set(get_args(v.FlexibilityCode))
    assert set(flexibility.members["placed_in"].dropna()) <= set(get_args(v.PlacedIn))
