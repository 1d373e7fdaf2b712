"""What a run did, for every file it writes: :class:`RunRecord`.

A workbook, a map or an output folder handed on to a mayor must say how it was made: the
rules actually used (file, scenario, every override), whether it shows the statewide plan,
a view of some Kreise or a plan made only within them, the locks and exclusions, the data
with their dates, wirgeo's version and the attribution the data's licences require. The
record holds exactly that, and the run date every output shows as its "Stand": taken from
``SOURCE_DATE_EPOCH`` when it is set (so a rerun gives byte-identical files; the tests set
it), else today — no clock time. Two runs with different rules never give the same files.
It holds figures and codes; :func:`wirgeo.wording.record_rows` says them in words.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(scenario="band_10k_30k", overrides={"max_members": 2},
...                       kreise=("Vogelsbergkreis",), exclude=("Schotten",)
...                       ).run(load_municipalities())
>>> record = RunRecord.of(run)
>>> record.rules_name, record.scenario, record.overrides, record.single_band
('band_10k_30k+overrides', 'band_10k_30k', {'max_members': 2}, (10000, 30000))
>>> record.exclude
(('06535016', 'Schotten'),)
>>> from wirgeo.wording import record_rows
>>> dict(record_rows(record))["Einzelantrag"]
'10.000–30.000 Einwohner'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from wirgeo.consortia import Violation
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.planning.run import Planning, Summary
from wirgeo.rules import KivRules
from wirgeo.settings import settings

if TYPE_CHECKING:
    from wirgeo.planning.request import PlanningRequest

__all__ = ["RunRecord", "run_date"]


def _version() -> str:
    from wirgeo._version import __version__

    return __version__


def run_date() -> str:
    """The date a run states as made on (ISO): ``SOURCE_DATE_EPOCH`` (UTC) when set, else today.

    ``SOURCE_DATE_EPOCH`` is the reproducible-builds convention: seconds since 1970 that
    stand for "now", so that two runs on different days still write the same bytes.

    Examples
    --------
    >>> from wirgeo.settings import settings
    >>> with settings.override(date_epoch="1796558400"):
    ...     run_date()
    '2026-12-06'
    """
    epoch = settings.date_epoch
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as error:
            raise ArgumentError("SOURCE_DATE_EPOCH", _(
                "SOURCE_DATE_EPOCH must be whole seconds since 1970, got {value!r}").format(
                    value=epoch), fix=_("unset it, or set e.g. SOURCE_DATE_EPOCH=1796558400")
            ) from error
        return when.date().isoformat()
    return dt.date.today().isoformat()


@dataclass(frozen=True)
class RunRecord:
    """How one planning run was made (see the module docs).

    Build it with :meth:`of`; :meth:`to_dict` gives the plain data of an output folder's
    ``run.json``; :func:`wirgeo.wording.record_rows` the lines of a workbook's run sheet
    and of a map's info box.

    ``scope`` is ``statewide``, ``view`` or ``within``; ``data_source`` what was read
    (see :class:`~wirgeo.municipalities.JoinReport`); ``summary`` the figures of the
    plan (None for a run without one); ``broken_locks`` the rules each locked Verbund
    breaks.
    """

    wirgeo_version: str
    rules: KivRules
    rules_name: str
    rules_file: str
    scenario: str
    overrides: dict[str, object]
    single_band: tuple[int, int]
    scope: str                                  # "statewide", "view" or "within"
    kreise: tuple[tuple[str, str], ...]         # (key, name)
    exclude: tuple[tuple[str, str], ...]        # (AGS, name)
    locks: tuple[tuple[tuple[str, str], ...], ...]
    boundary_date: str
    population_date: str
    boundaries_file: str
    population_file: str
    data_source: str
    attribution: tuple[str, ...]
    plan_status: str
    summary: Summary | None
    broken_locks: tuple[tuple[str, tuple[Violation, ...]], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    preferences: tuple[tuple[str, int], ...] = ()  # (name, the plan's total) after coverage
    run_date: str = field(default_factory=run_date)  # ISO; the "Stand" of every output

    @classmethod
    def of(cls, run: Planning) -> RunRecord:
        """The record of ``run``."""
        scope = "within" if run.within_kreise else ("view" if run.kreise else "statewide")
        record = cls._make(run.rules, run.municipalities, run.request,
                           kreise=tuple(zip(run.kreise, run.kreis_names(), strict=True)),
                           scope=scope, status=run.plan.status, summary=run.summary())
        table = run.plan.consortia
        broken = table[table["consortium_id"].isin(run.plan.broken_locks)]
        return dataclasses.replace(record, broken_locks=tuple(
            (cid, tuple(why)) for cid, why in zip(broken["consortium_id"],
                                                  broken["rule_violations"], strict=True)),
            preferences=tuple(run.plan.preference_values().items()))

    @classmethod
    def for_rules(cls, rules: KivRules, municipalities: pd.DataFrame,
                  request: PlanningRequest | None = None) -> RunRecord:
        """The record of a run without a plan (eligibility and summary only)."""
        return cls._make(rules, municipalities, request, kreise=(), scope="statewide",
                         status="", summary=None)

    @classmethod
    def _make(cls, rules: KivRules, municipalities: pd.DataFrame,
              request: PlanningRequest | None, *,
              kreise: tuple[tuple[str, str], ...], scope: str, status: str,
              summary: Summary | None) -> RunRecord:
        attrs = municipalities.attrs
        name = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
        scenario = (request.scenario or "") if request else (
            rules.name.removesuffix("+overrides") if rules.name != "default" else "")
        return cls(
            wirgeo_version=_version(), rules=rules, rules_name=rules.name,
            rules_file=Path(rules.source).name if rules.source else "",
            scenario=scenario,
            overrides=dict(request.overrides) if request else {},
            single_band=(rules.single_min, rules.single_max), scope=scope, kreise=kreise,
            exclude=tuple((a, name.get(a, a)) for a in rules.exclude),
            locks=tuple(tuple((a, name.get(a, a)) for a in group) for group in rules.lock),
            boundary_date=str(attrs.get("boundary_date", "")),
            population_date=str(attrs.get("population_date", "")),
            boundaries_file=str(attrs.get("boundaries_file", "")),
            population_file=str(attrs.get("population_file", "")),
            data_source=str(attrs.get("data_source", "")),
            # the Zensus 2022 too, when the table carries its indicators
            attribution=tuple(a.strip() for a in str(attrs.get("attribution", "")).split("·")
                              if a.strip()) + ((str(attrs["census_attribution"]),)
                                               if attrs.get("census_attribution") else ()),
            plan_status=status, summary=summary)

    @property
    def attrs(self) -> dict[str, str]:
        """The data's dates, files and source as a joined table's ``.attrs`` name them."""
        return {"boundary_date": self.boundary_date, "population_date": self.population_date,
                "population_file": self.population_file, "data_source": self.data_source}

    def to_dict(self) -> dict[str, Any]:
        """Plain data (``run.json``): figures and codes; a gap that is not known is None."""
        plain: dict[str, Any] = _plain(asdict(self))
        return plain

    def to_json(self) -> str:
        """The record as indented JSON (stable key order, UTF-8 text)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _plain(value: Any) -> Any:
    """``value`` with NaN as None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
