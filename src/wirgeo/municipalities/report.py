"""What the join of boundaries and population did, in figures: :class:`JoinReport`."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wirgeo.core.i18n import _, ngettext, number
from wirgeo.municipalities.census import CensusReport

__all__ = ["Change", "JoinReport", "NOT_APPLIED", "problem_lines", "change_action"]


@dataclass(frozen=True)
class Change:
    """One territorial change as applied (or not) to the boundaries."""

    new_ags: str
    new_name: str
    old_ags: tuple[str, ...]
    in_force: str
    #: ``dissolved``, ``already_in_boundaries`` or one of :data:`NOT_APPLIED`
    action: str
    missing: tuple[str, ...] = ()   # old units not in the boundaries


@dataclass
class JoinReport:
    """What the join of boundaries and population did, in figures.

    ``problems`` names what makes a strict join fail (codes); ``ok`` is true when there is
    none. The words ``wirgeo data check`` prints are :func:`wirgeo.wording.report_text`.

    ``data_source`` says what was read: ``"official files"``, ``"embedded bundle"``
    (wirgeo's own copy, used when there is no source folder; ``source_files`` then names
    the official files it was made from, ``territory_date`` the date of its territory) or
    ``"embedded bundle + population file"``.
    ``ewz_compared`` and ``ewz_differences`` compare the population VG250-EW boundaries
    carry (``EWZ``) with the population table:
    ``(ags, name, ewz, population)`` per unit that differs, largest difference first.
    ``population_merges`` lists the rows of the population table put on a merged Gemeinde
    (``(new_ags, new_name, old_ags, in_force)``: a table dated after a merger that still
    lists the old units); ``census`` says what was done with the Zensus 2022 table.
    """

    state: str
    boundaries_file: str
    boundary_date: str
    boundary_date_basis: str
    population_file: str
    population_kind: str
    population_date: str
    boundary_units: int
    water_parts: int
    repaired: list[str]
    changes: list[Change]
    matched: int
    boundaries_without_population: list[tuple[str, str]]
    population_without_boundary: list[tuple[str, str, int]]
    gemeindefrei_without_population: list[str]
    duplicates: int
    gemeinden: int
    gemeindefrei: int
    kreise: int
    kreisfreie_staedte: int
    sonderstatusstaedte: int
    population_total: int
    population_table_total: int
    small_gemeinden: int
    small_below: int
    attribution: list[str]
    strict: bool = True
    seconds: float = 0.0
    from_cache: bool = False
    data_source: str = "official files"
    embedded: bool = False
    source_files: list[str] = field(default_factory=list)
    territory_date: str = ""
    ewz_compared: int = 0
    ewz_differences: list[tuple[str, str, int, int]] = field(default_factory=list)
    population_merges: list[tuple[str, str, tuple[str, ...], str]] = field(
        default_factory=list)
    census: CensusReport = field(default_factory=CensusReport)
    population_listed: int = 0

    @property
    def problems(self) -> list[str]:
        """What makes a strict join fail, as codes (in words: :func:`problem_lines`).

        ``change_not_applied``, ``partial_release`` (see :attr:`partial_release`) or
        ``boundaries_without_population``, ``population_without_boundary``.
        """
        codes = []
        if any(c.action in NOT_APPLIED for c in self.changes):
            codes.append("change_not_applied")
        if self.partial_release:
            codes.append("partial_release")
        elif self.boundaries_without_population:
            codes.append("boundaries_without_population")
        if any(x[2] > 0 for x in self.population_without_boundary):
            codes.append("population_without_boundary")
        return codes

    @property
    def partial_release(self) -> bool:
        """More Gemeinden without a figure than the population table has rows.

        A release of only the changed rows, given without the full release it changes
        (``population_basis``).
        """
        missing = len(self.boundaries_without_population)
        return bool(missing) and 0 < self.population_listed < missing

    @property
    def ok(self) -> bool:
        """True when nothing is unmatched (a strict join succeeded)."""
        return not self.problems

    @property
    def changes_applied(self) -> list[Change]:
        """Changes that dissolved old units into a new one."""
        return [c for c in self.changes if c.action == "dissolved"]

    def frame_attrs(self) -> dict[str, str]:
        """The ``.attrs`` every joined layer carries: state, both dates, attribution.

        ``data_source`` says what was read (see the class); every output that names its
        sources says it in words (:func:`wirgeo.wording.data_source_line`).
        """
        census = ({"census_date": self.census.date,
                   "census_attribution": self.census.attribution}
                  if self.census.used else {})
        return {"state": self.state, "boundary_date": self.boundary_date,
                "population_date": self.population_date, **census,
                "attribution": " · ".join(self.attribution),
                "boundaries_file": Path(self.boundaries_file).name,
                "population_file": Path(self.population_file).name
                if self.population_file else "",
                "data_source": self.data_source}

    def to_dict(self) -> dict[str, Any]:
        """Plain data, e.g. for JSON."""
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def combine(cls, reports: list[JoinReport], state: str) -> JoinReport:
        """One report of several states' joins (:func:`wirgeo.municipalities.load`).

        Counts are summed, lists joined; files, dates and sources are those of the first
        state (one load reads one GeoPackage and one population table for all of them).
        """
        first = reports[0]
        summed = ("boundary_units", "water_parts", "matched", "duplicates", "gemeinden",
                  "gemeindefrei", "kreise", "kreisfreie_staedte", "sonderstatusstaedte",
                  "population_total", "population_table_total", "small_gemeinden",
                  "ewz_compared", "population_listed")
        joined = ("repaired", "changes", "boundaries_without_population",
                  "population_without_boundary", "gemeindefrei_without_population",
                  "ewz_differences", "population_merges")
        values = {name: sum(getattr(r, name) for r in reports) for name in summed}
        values.update({name: [x for r in reports for x in getattr(r, name)]
                       for name in joined})
        return dataclasses.replace(first, state=state, from_cache=all(
            r.from_cache for r in reports), seconds=sum(r.seconds for r in reports),
            **values)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JoinReport:
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        data.pop("ok", None)
        data.pop("problems", None)
        data["changes"] = [Change(**{**c, "old_ags": tuple(c["old_ags"]),
                                     "missing": tuple(c.get("missing", ()))})
                           for c in data["changes"]]
        data["boundaries_without_population"] = [tuple(x) for x in
                                                 data["boundaries_without_population"]]
        data["population_without_boundary"] = [tuple(x) for x in
                                               data["population_without_boundary"]]
        data["ewz_differences"] = [tuple(x) for x in data.get("ewz_differences", [])]
        data["population_merges"] = [(a, n, tuple(o), d) for a, n, o, d in
                                     data.get("population_merges", [])]
        data["census"] = CensusReport.from_dict(data.get("census", {}))
        return cls(**data)


#: Actions of a territorial change that leave the boundaries and the population unmatched.
NOT_APPLIED = ("not_applied_population_older", "not_applied_population_predates",
               "not_applied_units_missing")


def problem_lines(report: JoinReport) -> list[str]:
    """What makes a strict join fail, one line each, in the reader's language.

    The words of the strict join's error and of the data check (the report itself keeps
    figures and codes, :attr:`JoinReport.problems`).
    """
    lines = []
    for change in report.changes:
        if change.action in NOT_APPLIED:
            lines.append(_change_problem(change))
    bnd = report.boundaries_without_population
    if report.partial_release:
        # fewer rows than Gemeinden without a figure: a release of the changed rows
        lines.append(_("the population table lists {listed} Gemeinden, {missing} Gemeinden "
                       "have no figure in it ({keys}): a release with only the changed rows "
                       "must name its basis, the full release it changes").format(
            listed=report.population_listed, missing=len(bnd),
            keys=", ".join(f"{a} {n}" for a, n in bnd[:5]) + (", …" if len(bnd) > 5 else "")))
    elif bnd:
        lines.append(ngettext("{count} boundary unit without population: {units}",
                              "{count} boundary units without population: {units}",
                              len(bnd)).format(
            count=len(bnd), units=", ".join(f"{a} {n}" for a, n in bnd[:20])))
    inhabited = [x for x in report.population_without_boundary if x[2] > 0]
    if inhabited:
        lines.append(ngettext(
            "{count} inhabited municipality in the population table without boundary: {units}",
            "{count} inhabited municipalities in the population table without boundary: "
            "{units}", len(inhabited)).format(
            count=len(inhabited),
            units=", ".join(f"{a} {n} ({number(p)})" for a, n, p in inhabited[:20])))
    return lines


def change_action(change: Change) -> str:
    """What became of a territorial change, in words (``dissolved``, ``not applied: …``)."""
    words = {
        "dissolved": _("dissolved"),
        "already_in_boundaries": _("already in the boundaries"),
        "not_applied_population_older": _("not applied: the boundaries already merge the old "
                                           "units, but the population predates the merger"),
        "not_applied_population_predates": _("not applied: the population predates it"),
        "not_applied_units_missing": _("not applied: old unit(s) {units} not in the "
                                       "boundaries"),
    }
    return words.get(change.action, change.action).format(units=", ".join(change.missing))


def _change_problem(change: Change) -> str:
    return _("territorial change to {ags} {name} {action}").format(
        ags=change.new_ags, name=change.new_name, action=change_action(change))
