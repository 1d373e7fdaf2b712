"""What the join of boundaries and population did, in figures: :class:`JoinReport`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from wirgeo.sources import STATE_NAMES

__all__ = ["Change", "JoinReport"]


@dataclass(frozen=True)
class Change:
    """One territorial change as applied (or not) to the boundaries."""

    new_ags: str
    new_name: str
    old_ags: tuple[str, ...]
    in_force: str
    action: str  # "dissolved", "already in boundaries", "not applicable"


@dataclass
class JoinReport:
    """What the join of boundaries and population did, in figures.

    ``problems`` lists what makes a strict join fail; ``ok`` is true when it is empty.
    ``str(report)`` is the text ``wirgeo data check`` prints.
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
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is unmatched (a strict join succeeded)."""
        return not self.problems

    @property
    def changes_applied(self) -> list[Change]:
        """Changes that dissolved old units into a new one."""
        return [c for c in self.changes if c.action == "dissolved"]

    def frame_attrs(self) -> dict[str, str]:
        """The ``.attrs`` every joined layer carries: state, both dates, attribution."""
        return {"state": self.state, "boundary_date": self.boundary_date,
                "population_date": self.population_date,
                "attribution": " · ".join(self.attribution)}

    def to_dict(self) -> dict:
        """Plain data, e.g. for JSON."""
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JoinReport:
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        data.pop("ok", None)
        data["changes"] = [Change(**{**c, "old_ags": tuple(c["old_ags"])})
                           for c in data["changes"]]
        data["boundaries_without_population"] = [tuple(x) for x in
                                                 data["boundaries_without_population"]]
        data["population_without_boundary"] = [tuple(x) for x in
                                               data["population_without_boundary"]]
        return cls(**data)

    def __str__(self) -> str:
        def n(x: int) -> str:
            return f"{x:,}"

        state = f"{STATE_NAMES.get(self.state, self.state)} ({self.state})"
        lines = [
            f"wirgeo data check — {state}",
            f"  boundaries : {self.boundaries_file}",
            f"               as of {self.boundary_date} ({self.boundary_date_basis})",
            f"  population : {self.population_file}",
            f"               as of {self.population_date} ({self.population_kind})",
            f"  boundary units read       {n(self.boundary_units)} land parts"
            f" ({n(self.water_parts)} water parts sharing an AGS not used)",
            f"  geometries repaired       {len(self.repaired)}"
            + (f" ({', '.join(self.repaired)})" if self.repaired else ""),
        ]
        applied = self.changes_applied
        lines.append(f"  territorial changes       {len(applied)} applied")
        for c in applied:
            lines.append(f"    {c.new_ags} {c.new_name} ← {', '.join(c.old_ags)} "
                         f"(in force {c.in_force}, dissolved)")
        for c in self.changes:
            if c.action != "dissolved":
                lines.append(f"    {c.new_ags} {c.new_name}: {c.action}")
        lines += [
            f"  matched on AGS            {n(self.matched)}",
            f"  boundaries w/o population {len(self.boundaries_without_population)}"
            + _keys(self.boundaries_without_population),
            f"  population w/o boundary   {len(self.population_without_boundary)}"
            + _keys(self.population_without_boundary),
            f"  duplicate keys            {self.duplicates}",
            f"  Gemeinden                 {n(self.gemeinden)}"
            f" + {self.gemeindefrei} gemeindefreie Gebiete (population 0)",
            f"    kreisfreie Städte       {self.kreisfreie_staedte}",
            f"    Sonderstatusstädte      {self.sonderstatusstaedte}",
            f"    under {self.small_below:,} inhabitants {n(self.small_gemeinden)}",
            f"  Kreise                    {self.kreise}",
            f"  population total          {n(self.population_total)}"
            + ("" if self.population_total == self.population_table_total else
               f" (population table: {n(self.population_table_total)})"),
            "  sources: " + " · ".join(self.attribution),
        ]
        if self.problems:
            lines.append("  PROBLEMS:")
            lines += [f"    - {p}" for p in self.problems]
            if not self.strict:
                lines.append("    (explore mode: joined what matched; the rest is listed "
                             "above)")
        else:
            lines.append("  result: OK — every inhabited municipality has boundary and "
                         "population")
        if self.from_cache:
            lines.append(f"  (prepared layers read from cache in {self.seconds:.2f} s)")
        return "\n".join(lines)


def _keys(items, limit: int = 12) -> str:
    if not items:
        return ""
    keys = [i[0] if isinstance(i, (tuple, list)) else i for i in items]
    more = f", … {len(keys) - limit} more" if len(keys) > limit else ""
    return " (" + ", ".join(keys[:limit]) + more + ")"

