"""What the join of boundaries and population did, in figures: :class:`JoinReport`."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wirgeo.core.i18n import _, date, decimal, language, number
from wirgeo.municipalities.census import CensusReport
from wirgeo.sources.states import state_name

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
    problems: list[str] = field(default_factory=list)
    data_source: str = "official files"
    embedded: bool = False
    source_files: list[str] = field(default_factory=list)
    territory_date: str = ""
    ewz_compared: int = 0
    ewz_differences: list[tuple[str, str, int, int]] = field(default_factory=list)
    population_merges: list[tuple[str, str, tuple[str, ...], str]] = field(
        default_factory=list)
    census: CensusReport = field(default_factory=CensusReport)

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

        ``data_source`` is the line every output that names its sources adds: official
        files or the embedded bundle, and where current releases come from.
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
                "data_source": self.data_source_line()}

    def data_source_line(self, lang: str | None = None) -> str:
        """One line: which data was read, its dates, and how to get current releases."""
        lang = language(lang)
        say = _LABELS[lang]
        dates = say["dates"].format(date(self.boundary_date, lang),
                                    date(self.population_date, lang))
        if not self.embedded:
            what = say["official"].format(dates)
        elif self.data_source == "embedded bundle":
            what = say["embedded"].format(dates)
        else:
            what = say["embedded_pop"].format(Path(self.population_file).name, dates)
        return say["data_line"].format(what)

    def to_dict(self) -> dict:
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
                  "ewz_compared")
        joined = ("repaired", "changes", "boundaries_without_population",
                  "population_without_boundary", "gemeindefrei_without_population",
                  "problems", "ewz_differences")
        values = {name: sum(getattr(r, name) for r in reports) for name in summed}
        values.update({name: [x for r in reports for x in getattr(r, name)]
                       for name in joined})
        return dataclasses.replace(first, state=state, from_cache=all(
            r.from_cache for r in reports), seconds=sum(r.seconds for r in reports),
            **values)

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
        data["ewz_differences"] = [tuple(x) for x in data.get("ewz_differences", [])]
        data["population_merges"] = [(a, n, tuple(o), d) for a, n, o, d in
                                     data.get("population_merges", [])]
        data["census"] = CensusReport.from_dict(data.get("census", {}))
        return cls(**data)

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """The report as ``wirgeo data check`` prints it, in ``lang`` (default German)."""
        lang = language(lang)
        say = _LABELS[lang]

        def n(x: int) -> str:
            return number(x, lang)

        state = f"{state_name(self.state)} ({self.state})"
        lines = [
            f"wirgeo data check — {state}",
            f"  {say['boundaries']:<11}: {self.boundaries_file}",
            f"               {say['as_of']} {date(self.boundary_date, lang)} "
            f"({_basis(self.boundary_date_basis, lang)})",
            f"  {say['population']:<11}: {self.population_file}",
            f"               {say['as_of']} {date(self.population_date, lang)} "
            f"({_KINDS[lang].get(self.population_kind, self.population_kind)})",
            *self._data_lines(lang),
            f"  {say['units']:<26}{n(self.boundary_units)} {say['land_parts']}"
            f" ({n(self.water_parts)} {say['water_parts']})",
            f"  {say['repaired']:<26}{len(self.repaired)}"
            + (f" ({', '.join(self.repaired)})" if self.repaired else ""),
        ]
        applied = self.changes_applied
        lines.append(f"  {say['changes']:<26}{len(applied)} {say['applied']}")
        for c in applied:
            lines.append(f"    {c.new_ags} {c.new_name} ← {', '.join(c.old_ags)} "
                         f"({say['in_force']} {date(c.in_force, lang)}, {say['dissolved']})")
        for c in self.changes:
            if c.action != "dissolved":
                lines.append(f"    {c.new_ags} {c.new_name}: {c.action}")
        lines += [
            f"  {say['matched']:<26}{n(self.matched)}",
            f"  {say['bnd_without']:<26}{len(self.boundaries_without_population)}"
            + _keys(self.boundaries_without_population),
            f"  {say['pop_without']:<26}{len(self.population_without_boundary)}"
            + _keys(self.population_without_boundary),
            f"  {say['duplicates']:<26}{self.duplicates}",
            f"  {'Gemeinden':<26}{n(self.gemeinden)}"
            f" + {self.gemeindefrei} {say['gemeindefrei']}",
            f"    {'kreisfreie Städte':<24}{self.kreisfreie_staedte}",
            f"    {'Sonderstatusstädte':<24}{self.sonderstatusstaedte}",
            f"    {say['under'].format(n(self.small_below))} {n(self.small_gemeinden)}",
            f"  {'Kreise':<26}{self.kreise}",
            f"  {say['total']:<26}{n(self.population_total)}"
            + ("" if self.population_total == self.population_table_total else
               f" ({say['table']}: {n(self.population_table_total)})"),
            *self._ewz_lines(lang),
            *self._merge_lines(lang),
            *census_lines(self.census, lang),
            f"  {say['sources']}: " + " · ".join(self.attribution),
        ]
        if self.problems:
            lines.append(f"  {say['problems']}:")
            lines += [f"    - {p}" for p in self.problems]
            if not self.strict:
                lines.append(f"    {say['explore']}")
        else:
            lines.append(f"  {say['ok']}")
        if self.from_cache:
            lines.append("  " + say["cache"].format(decimal(self.seconds, lang, 2)))
        return "\n".join(lines)

    def _data_lines(self, lang: str) -> list[str]:
        """Which data was read, what the bundle was made of, where current releases are."""
        say = _LABELS[lang]
        if not self.embedded:
            return [f"  {say['data']:<11}: {say['official_files']} — {say['download']}"]
        what = say["copy"] if self.data_source == "embedded bundle" else say["copy_pop"]
        lines = [f"  {say['data']:<11}: {say['bundle']}: {what}",
                 "               " + say["bundle_dates"].format(
                     date(self.boundary_date, lang), date(self.territory_date, lang)
                     if self.territory_date else "")]
        lines += [f"               {say['made_from']} {f}" for f in self.source_files]
        lines.append(f"               {say['download_or_source']}")
        return lines

    def _merge_lines(self, lang: str) -> list[str]:
        """Rows of the population table added to a merged Gemeinde."""
        return [_("  population table: {old} added to {new} {name} (merged {date})",
                  lang).format(old=", ".join(old), new=new, name=name,
                               date=date(in_force, lang))
                for new, name, old, in_force in self.population_merges]

    def _ewz_lines(self, lang: str) -> list[str]:
        """The population the boundaries carry (EWZ) against the population table."""
        if not self.ewz_compared:
            return []
        say = _LABELS[lang]
        diffs = self.ewz_differences
        lines = [f"  {say['ewz']:<26}" + say["ewz_differ"].format(
            number(len(diffs), lang), number(self.ewz_compared, lang)) + _keys(diffs)]
        if diffs:
            ags, name, ewz, pop = diffs[0]
            sign = "+" if pop - ewz >= 0 else "−"
            lines.append(f"    {say['largest']}: {ags} {name}: EWZ {number(ewz, lang)}, "
                         f"{say['table']} {number(pop, lang)} ({sign}"
                         f"{number(abs(pop - ewz), lang)})")
        return lines


_KINDS = {"de": {"destatis": "Destatis-Gemeindeverzeichnis", "csv": "CSV-Tabelle",
                 "vg250-ew": "EWZ-Feld der VG250-EW", "zensus2022": "Zensus 2022"},
          "en": {"destatis": "Destatis municipality directory", "csv": "CSV table",
                 "vg250-ew": "EWZ field of VG250-EW", "zensus2022": "Zensus 2022"}}


def census_lines(census: CensusReport, lang: str) -> list[str]:
    """What ``wirgeo data check`` says of the Zensus 2022 table."""
    head = f"  {'Zensus 2022':<26}"  # a name: the same in every language
    if not census.used:
        return [head + _("no table (indicators missing)", lang)]
    source = (_("wirgeo's embedded copy", lang) if census.source == "embedded bundle"
              else Path(census.file).name)
    lines = [head + _("{rows} rows on {matched} Gemeinden ({source}, as of {date})",
                      lang).format(matched=number(census.matched, lang),
                                   rows=number(census.rows, lang), source=source,
                                   date=date(census.date, lang))]
    for new, name, old, in_force in census.merges:
        when = _(", merged {date}", lang).format(date=date(in_force, lang)) if in_force \
            else ""
        lines.append(_("    {old} added to {new} {name} (population summed, shares "
                       "weighted by population{when})", lang).format(
                           old=", ".join(old), new=new, name=name, when=when))
    if census.missing:
        lines.append(_("    inhabited Gemeinden without a row: {count}", lang).format(
            count=len(census.missing)) + _keys(census.missing))
    if census.unmatched:
        lines.append(_("    rows without a Gemeinde: {count}", lang).format(
            count=len(census.unmatched)) + _keys(census.unmatched))
    withheld = ", ".join(f"{column} {count}" for column, count in census.withheld.items())
    lines.append(_("    withheld values (kept missing, never 0): {values}", lang).format(
        values=withheld or "0"))
    lines.append(_("    source: {attribution}; figures compiled from the published "
                   "results", lang).format(attribution=census.attribution))
    return lines
_BASES_DE = {
    "product date in the file name": "Produktdatum im Dateinamen",
    "aktualitaet.txt of the product": "aktualitaet.txt des Produkts",
    "latest legal-effect date (WSK) in the data; the product may be newer":
        "jüngstes Wirksamkeitsdatum (WSK) in den Daten; das Produkt kann neuer sein",
}


_BUNDLED = ", in the embedded bundle"


def _basis(basis: str, lang: str) -> str:
    """Where the boundary date comes from, in ``lang`` (the readers speak English).

    >>> _basis("product date in the file name, in the embedded bundle", "de")
    'Produktdatum im Dateinamen, in der eingebauten Kopie'
    """
    if lang != "de":
        return basis
    bundled = basis.endswith(_BUNDLED)
    core = basis[: -len(_BUNDLED)] if bundled else basis
    return _BASES_DE.get(core, core) + (", in der eingebauten Kopie" if bundled else "")


_LABELS = {
    "de": {"boundaries": "Grenzen", "population": "Einwohner", "as_of": "Stand",
           "units": "Grenzeinheiten gelesen", "land_parts": "Landflächen",
           "water_parts": "Wasserflächen mit gleicher AGS nicht verwendet",
           "repaired": "Geometrien repariert", "changes": "Gebietsänderungen",
           "applied": "angewandt", "in_force": "in Kraft seit", "dissolved": "vereinigt",
           "matched": "über AGS verknüpft", "bnd_without": "Grenzen ohne Einwohner",
           "pop_without": "Einwohner ohne Grenze", "duplicates": "doppelte Schlüssel",
           "gemeindefrei": "gemeindefreie Gebiete (0 Einwohner)",
           "under": "unter {} Einwohnern", "total": "Einwohner insgesamt",
           "table": "Einwohnertabelle", "sources": "Quellen", "problems": "PROBLEME",
           "explore": "(Erkundungsmodus: verknüpft, was passt; der Rest steht oben)",
           "ok": "Ergebnis: OK — jede bewohnte Gemeinde hat Grenze und Einwohnerzahl",
           "cache": "(vorbereitete Ebenen aus dem Zwischenspeicher gelesen, {} s)",
           "dates": "Grenzen Stand {}, Einwohner Stand {}",
           "official": "amtliche Quelldateien ({})",
           "embedded": "wirgeos eingebaute Kopie der amtlichen Dateien ({})",
           "embedded_pop": "wirgeos eingebaute Kopie der amtlichen Grenzen mit den "
                           "Einwohnerzahlen aus {} ({})",
           "data_line": "Daten: {}; aktuelle Ausgaben mit dem Befehl „wirgeo data download“",
           "data": "Daten", "official_files": "amtliche Quelldateien",
           "download": "aktuelle Ausgaben mit `wirgeo data download`",
           "bundle": "eingebaute Kopie (kein Quellordner gefunden)",
           "copy": "wirgeos Kopie der amtlichen Dateien",
           "copy_pop": "wirgeos Kopie der amtlichen Grenzen, Einwohner aus der Datei oben",
           "bundle_dates": "(Grenzen Stand {}, Gebietsänderungen bis {} vereinigt)",
           "made_from": "erstellt aus",
           "download_or_source": "aktuelle Ausgaben mit `wirgeo data download` (oder "
                                 "--source ORDNER angeben)",
           "ewz": "EWZ der Grenzen", "ewz_differ": "{} von {} weichen von der "
                                                   "Einwohnertabelle ab",
           "largest": "größte Abweichung"},
    "en": {"boundaries": "boundaries", "population": "population", "as_of": "as of",
           "units": "boundary units read", "land_parts": "land parts",
           "water_parts": "water parts sharing an AGS not used",
           "repaired": "geometries repaired", "changes": "territorial changes",
           "applied": "applied", "in_force": "in force", "dissolved": "dissolved",
           "matched": "matched on AGS", "bnd_without": "boundaries w/o population",
           "pop_without": "population w/o boundary", "duplicates": "duplicate keys",
           "gemeindefrei": "gemeindefreie Gebiete (population 0)",
           "under": "under {} inhabitants", "total": "population total",
           "table": "population table", "sources": "sources", "problems": "PROBLEMS",
           "explore": "(explore mode: joined what matched; the rest is listed above)",
           "ok": "result: OK — every inhabited municipality has boundary and population",
           "cache": "(prepared layers read from cache in {} s)",
           "dates": "boundaries as of {}, population as of {}",
           "official": "official source files ({})",
           "embedded": "wirgeo's embedded copy of the official files ({})",
           "embedded_pop": "wirgeo's embedded copy of the official boundaries with the "
                           "population of {} ({})",
           "data_line": "data: {}; current releases with the command "
                        "\u201cwirgeo data download\u201d",
           "data": "data", "official_files": "official source files",
           "download": "for current releases run `wirgeo data download`",
           "bundle": "embedded bundle (no source folder found)",
           "copy": "wirgeo's copy of the official files",
           "copy_pop": "wirgeo's copy of the official boundaries, the population file above",
           "bundle_dates": "(boundaries as of {}, mergers up to {} dissolved)",
           "made_from": "made from",
           "download_or_source": "for current releases run `wirgeo data download` (or give "
                                 "--source DIR)",
           "ewz": "EWZ of the boundaries", "ewz_differ": "{} of {} differ from the "
                                                        "population table",
           "largest": "largest"},
}


def _keys(items, limit: int = 12) -> str:
    if not items:
        return ""
    keys = [i[0] if isinstance(i, (tuple, list)) else i for i in items]
    more = f", … {len(keys) - limit} more" if len(keys) > limit else ""
    return " (" + ", ".join(keys[:limit]) + more + ")"

