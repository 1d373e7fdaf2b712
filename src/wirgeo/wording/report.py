"""The data check in words: :func:`report_text` and :func:`data_source_line`.

:class:`~wirgeo.municipalities.JoinReport` holds what the join of boundaries and
population did as figures and codes; this is how ``wirgeo data check`` (and ``wirgeo
demo``) says it, in the reader's language.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> with speaking("de"):
...     data_source_line({"data_source": "official files", "boundary_date": "2016-01-01",
...                       "population_date": "2023-12-31"})
'Daten: amtliche Quelldateien (Grenzen Stand 01.01.2016, Einwohner Stand 31.12.2023); \
aktuelle Ausgaben mit dem Befehl „wirgeo data download“'
>>> with speaking("de"):
...     date_basis("product date in the file name, in the embedded bundle")
'Produktdatum im Dateinamen, in der eingebauten Kopie'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wirgeo.core.i18n import N_, _, date, decimal, number, translate
from wirgeo.municipalities import JoinReport
from wirgeo.municipalities.census import CensusReport
from wirgeo.municipalities.report import change_action, problem_lines
from wirgeo.sources import STATE_NAMES

__all__ = ["report_text", "data_source_line", "date_basis"]

#: What kind of population table was read (``JoinReport.population_kind``).
_KINDS = {"destatis": N_("Destatis municipality directory"), "csv": N_("CSV table"),
          "vg250-ew": N_("EWZ field of VG250-EW"),
          "zensus2022": N_("Zensus 2022")}  # a name: the same words in both catalogs
_BUNDLED = ", in the embedded bundle"


def date_basis(basis: str) -> str:
    """Where the boundary date comes from (a message of :mod:`wirgeo.sources.vg250`)."""
    bundled = basis.endswith(_BUNDLED)
    core = basis[: -len(_BUNDLED)] if bundled else basis
    return translate(core) + (_(", in the embedded bundle") if bundled else "")


def data_source_line(attrs: Mapping[str, str]) -> str:
    """One line: which data was read, its dates, and how to get current releases.

    ``attrs`` are those of a joined table (:meth:`JoinReport.frame_attrs`).
    """
    dates = _("boundaries as of {boundaries}, population as of {population}").format(
        boundaries=date(attrs["boundary_date"]), population=date(attrs["population_date"]))
    kind = attrs.get("data_source", "official files")
    if kind == "official files":
        what = _("official source files ({dates})").format(dates=dates)
    elif kind == "embedded bundle":
        what = _("wirgeo's embedded copy of the official files ({dates})").format(dates=dates)
    else:
        what = _("wirgeo's embedded copy of the official boundaries with the population of "
                 "{file} ({dates})").format(file=Path(attrs.get("population_file", "")).name,
                                            dates=dates)
    return _("data: {what}; current releases with the command “wirgeo data download”").format(
        what=what)


def report_text(report: JoinReport) -> str:
    """The report as ``wirgeo data check`` prints it."""
    state = f"{STATE_NAMES.get(report.state, report.state)} ({report.state})"
    lines = [
        _("wirgeo data check — {state}").format(state=state),
        *_source_lines(report),
        *_data_lines(report),
        _row(_("boundary units read"), _("{units} land parts ({water} water parts sharing an "
                                         "AGS not used)").format(
            units=number(report.boundary_units), water=number(report.water_parts))),
        _row(_("geometries repaired"), str(len(report.repaired))
             + (f" ({', '.join(report.repaired)})" if report.repaired else "")),
        *_change_lines(report),
        _row(_("matched on AGS"), number(report.matched)),
        _row(_("boundaries w/o population"), str(len(report.boundaries_without_population))
             + _keys(report.boundaries_without_population)),
        _row(_("population w/o boundary"), str(len(report.population_without_boundary))
             + _keys(report.population_without_boundary)),
        _row(_("duplicate keys"), str(report.duplicates)),
        *_unit_lines(report),
        *_ewz_lines(report),
        *_merge_lines(report),
        *_census_lines(report.census),
        "  " + _("sources: {attribution}").format(attribution=" · ".join(report.attribution)),
    ]
    if report.problems:
        lines.append("  " + _("PROBLEMS:"))
        lines += [f"    - {p}" for p in problem_lines(report)]
        if not report.strict:
            lines.append("    " + _("(explore mode: joined what matched; the rest is listed "
                                    "above)"))
    else:
        lines.append("  " + _("result: OK — every inhabited municipality has boundary and "
                              "population"))
    if report.from_cache:
        lines.append("  " + _("(prepared layers read from cache in {seconds} s)").format(
            seconds=decimal(report.seconds, digits=2)))
    return "\n".join(lines)


def _row(label: str, value: str, width: int = 26) -> str:
    return f"  {label:<{width}}{value}"


def _label(label: str) -> str:
    return f"  {label:<11}: "


def _source_lines(report: JoinReport) -> list[str]:
    indent = " " * 15
    kind = _KINDS.get(report.population_kind)
    return [
        _label(_("boundaries")) + report.boundaries_file,
        indent + _("as of {date} ({basis})").format(
            date=date(report.boundary_date), basis=date_basis(report.boundary_date_basis)),
        _label(_("population")) + report.population_file,
        indent + _("as of {date} ({basis})").format(
            date=date(report.population_date),
            basis=translate(kind) if kind else report.population_kind),
    ]


def _data_lines(report: JoinReport) -> list[str]:
    """Which data was read, what the bundle was made of, where current releases are."""
    label = _label(_("data"))
    if not report.embedded:
        return [label + _("official source files — for current releases run `wirgeo data "
                          "download`")]
    what = (_("wirgeo's copy of the official files") if report.data_source == "embedded bundle"
            else _("wirgeo's copy of the official boundaries, the population file above"))
    indent = " " * 15
    lines = [label + _("embedded bundle (no source folder found): {what}").format(what=what),
             indent + _("(boundaries as of {boundaries}, mergers up to {territory} "
                        "dissolved)").format(
                 boundaries=date(report.boundary_date),
                 territory=date(report.territory_date) if report.territory_date else "")]
    lines += [indent + _("made from {file}").format(file=f) for f in report.source_files]
    lines.append(indent + _("for current releases run `wirgeo data download` (or give "
                            "--source DIR)"))
    return lines


def _change_lines(report: JoinReport) -> list[str]:
    applied = report.changes_applied
    lines = [_row(_("territorial changes"), _("{count} applied").format(count=len(applied)))]
    for c in applied:
        lines.append(f"    {c.new_ags} {c.new_name} ← {', '.join(c.old_ags)} ("
                     + _("in force {date}, dissolved").format(date=date(c.in_force)) + ")")
    for c in report.changes:
        if c.action != "dissolved":
            lines.append(f"    {c.new_ags} {c.new_name}: {change_action(c)}")
    return lines


def _unit_lines(report: JoinReport) -> list[str]:
    return [
        _row(_("Gemeinden"), number(report.gemeinden) + " + " + _(
            "{count} gemeindefreie Gebiete (population 0)").format(count=report.gemeindefrei)),
        _row("  " + _("kreisfreie Städte"), str(report.kreisfreie_staedte)),
        _row("  " + _("Sonderstatusstädte"), str(report.sonderstatusstaedte)),
        "    " + _("under {limit} inhabitants").format(limit=number(report.small_below))
        + " " + number(report.small_gemeinden),
        _row(_("Kreise"), str(report.kreise)),
        _row(_("population total"), number(report.population_total) + (
            "" if report.population_total == report.population_table_total else
            " (" + _("population table: {total}").format(
                total=number(report.population_table_total)) + ")")),
    ]


def _ewz_lines(report: JoinReport) -> list[str]:
    """The population the boundaries carry (EWZ) against the population table."""
    if not report.ewz_compared:
        return []
    diffs = report.ewz_differences
    lines = [_row(_("EWZ of the boundaries"), _("{count} of {total} differ from the population "
                                                "table").format(
        count=number(len(diffs)), total=number(report.ewz_compared)) + _keys(diffs))]
    if diffs:
        ags, name, ewz, pop = diffs[0]
        sign = "+" if pop - ewz >= 0 else "−"
        lines.append("    " + _("largest: {ags} {name}: EWZ {ewz}, population table {population} "
                                "({difference})").format(
            ags=ags, name=name, ewz=number(ewz), population=number(pop),
            difference=sign + number(abs(pop - ewz))))
    return lines


def _merge_lines(report: JoinReport) -> list[str]:
    """Rows of the population table added to a merged Gemeinde."""
    return ["  " + _("population table: {old} added to {new} {name} (merged {date})").format(
                old=", ".join(old), new=new, name=name, date=date(in_force))
            for new, name, old, in_force in report.population_merges]


def _census_lines(census: CensusReport) -> list[str]:
    """What ``wirgeo data check`` says of the Zensus 2022 table."""
    head = f"  {'Zensus 2022':<26}"  # a name: the same in every language
    if not census.used:
        return [head + _("no table (indicators missing)")]
    source = (_("wirgeo's embedded copy") if census.source == "embedded bundle"
              else Path(census.file).name)
    lines = [head + _("{rows} rows on {matched} Gemeinden ({source}, as of {date})").format(
        matched=number(census.matched), rows=number(census.rows), source=source,
        date=date(census.date))]
    for new, name, old, in_force in census.merges:
        when = _(", merged {date}").format(date=date(in_force)) if in_force else ""
        lines.append("    " + _("{old} added to {new} {name} (population summed, shares "
                                "weighted by population{when})").format(
            old=", ".join(old), new=new, name=name, when=when))
    if census.missing:
        lines.append("    " + _("inhabited Gemeinden without a row: {count}").format(
            count=len(census.missing)) + _keys(census.missing))
    if census.unmatched:
        lines.append("    " + _("rows without a Gemeinde: {count}").format(
            count=len(census.unmatched)) + _keys(census.unmatched))
    withheld = ", ".join(f"{column} {count}" for column, count in census.withheld.items())
    lines.append("    " + _("withheld values (kept missing, never 0): {values}").format(
        values=withheld or "0"))
    lines.append("    " + _("source: {attribution}; figures compiled from the published "
                            "results").format(attribution=census.attribution))
    return lines


def _keys(items: list, limit: int = 12) -> str:
    if not items:
        return ""
    keys = [i[0] if isinstance(i, (tuple, list)) else i for i in items]
    more = (", " + _("… {count} more").format(count=len(keys) - limit)
            if len(keys) > limit else "")
    return " (" + ", ".join(keys[:limit]) + more + ")"
