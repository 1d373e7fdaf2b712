"""The ``wirgeo`` command line: parse the options, call the library, print the answer.

Every command reads the official sources (``--source DIR``, else ``WIRGEO_SOURCE``, else
``geo/sources/``) and writes its output atomically. Problems with the input are printed as
one message naming file, row, column and fix — or the option, where the library names the
Python argument — and the command exits with code 2, never with a traceback.

No planning happens here: options become a :class:`~wirgeo.planning.PlanningRequest`
(rules, overrides, Kreise, exclusions, locks) or the arguments of one library function.

Every word is in the reader's language: German by default, English with ``--lang en`` or
``WIRGEO_LANG=en`` — the help, argparse's own messages (:func:`argparse_words`), every
error and every line printed (:mod:`wirgeo.wording` for the engine's codes and figures).
``--lang`` is read from the command line before argparse parses it, so ``--help`` and an
argparse error already speak it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from wirgeo._version import __version__
from wirgeo.core.i18n import N_, NP_, _, ngettext, translate
from wirgeo.errors import ArgumentError, FileAccessError, WirgeoError

__all__ = ["main", "build_parser", "argparse_words", "FLAGS", "ARGPARSE_MESSAGES"]

EXIT_INPUT = 2

#: The option that carries each Python argument the library may name in an error.
FLAGS = {
    "kreise": "--kreis", "exclude": "--exclude", "locks": "--lock",
    "time_limit": "--time-limit", "layers": "--layers", "hidden": "--layers",
    "tolerance_m": "--tolerance", "title": "--title", "path": "--out",
    "name_or_ags": "MUNICIPALITY", "scenario": "--scenario", "state": "--state",
    "members": "--members", "out": "--out", "kreis": "--kreis",
    "out_dir": "--out-dir", "source": "--source", "boundaries": "--boundaries",
    "population": "--population", "rules": "--rules", "centres": "--centres",
    "grantees": "--grantees", "registry": "--registry",
    "population_basis": "--basis", "census": "--census", "basis": "--basis",
    "tie_break": "--prefer-foreign-residents",
    "document": "FILE", "rejected": "FILE",
}

#: Options that name a file, a folder or layers: given empty ('') they are an error.
_NOT_EMPTY = ("out", "members", "out_dir", "source", "boundaries", "population", "rules",
              "centres", "grantees", "registry", "layers")

#: Rule options of the Verbund commands -> the KivRules value they set.
_RULE_OPTIONS = {"max_members": "max_members", "min_members": "min_members",
                 "min_population": "combined_min", "max_population": "combined_max"}
_RULE_SWITCHES = {"same_kreis": ("same_kreis", True),
                  "allow_large_partner": ("allow_large_partner", True),
                  "include_funded": ("exclude_funded", False),
                  "mutual": ("contiguity", "mutual")}


def _print(text: str = "") -> None:
    """Print a line; a closed stdout (``wirgeo demo | head -1``) never stops the work."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # the reader left: send the rest of the output nowhere and go on writing files
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _guard(args: argparse.Namespace, outputs: Sequence[Any], request: Any = None, *,
           sources: str | None = "search", inputs: Sequence[Any] = ()) -> None:
    """Refuse, before any work, outputs that would overwrite an input or each other.

    The inputs come from where they are decided, not from a list here: the official files
    the options name or the source folder holds (:func:`wirgeo.sources.find_sources`
    notes them), the request's rules and programme tables
    (:meth:`~wirgeo.planning.PlanningRequest.input_files`), the files or source folders
    a command names (``inputs``), and every input read so far (:mod:`wirgeo.core.inputs`).
    ``sources="official"``: the official files only, never the embedded bundle (it is
    what ``data bundle`` writes); ``None``: the command reads no official files.
    """
    from wirgeo.errors import SourceNotFoundError
    from wirgeo.exports.guard import check_outputs
    from wirgeo.sources import find_sources

    files = [*inputs, *(request.input_files() if request is not None else ())]
    state = getattr(args, "state", "06")
    given = _source_files(args) if sources is not None else {}
    # the dataset's other files (a population basis, the Zensus table) are inputs as named
    files += [path for key, path in given.items() if key not in _SEARCHED and path]
    searches = [(given.get("source"), given.get("boundaries"), given.get("population"))] \
        if sources is not None else []
    searches += [(Path(p), None, None) for p in inputs if p is not None and Path(p).is_dir()]
    for folder, boundaries, population in searches:
        try:
            files += find_sources(folder, state, boundaries=boundaries, population=population,
                                  embedded=sources != "official").files
        except SourceNotFoundError:
            pass  # nothing to protect there; the command says what is missing
    check_outputs([o for o in outputs if o is not None], files)


# ---------------------------------------------------------------- from options

#: The options that name the dataset's files -> the argument of municipalities.load.
_SOURCE_OPTIONS = {"source": "source", "boundaries": "boundaries",
                   "population": "population", "basis": "population_basis",
                   "census": "census"}
#: Those find_sources resolves (the folder is searched; the others are files as given).
_SEARCHED = ("source", "boundaries", "population")


def _source_files(args: argparse.Namespace) -> dict[str, Any]:
    """The dataset's files as the options give them (load's argument -> value).

    The one mapping both the load and the guard of a command read.
    """
    return {argument: getattr(args, option, None)
            for option, argument in _SOURCE_OPTIONS.items()}


def _dataset(args: argparse.Namespace) -> Any:
    from wirgeo.municipalities import load

    return load(args.state, **_source_files(args), strict=not args.allow_unmatched,
                cache=not args.no_cache)


def _request(args: argparse.Namespace) -> Any:
    """The planning request the options describe (rules are checked at once)."""
    from wirgeo.planning import PlanningRequest, parse_locks
    from wirgeo.sources.states import resolve_states

    overrides: dict[str, Any] = {}
    for option, rule in _RULE_OPTIONS.items():
        if getattr(args, option, None) is not None:
            overrides[rule] = getattr(args, option)
    for option, (rule, value) in _RULE_SWITCHES.items():
        if getattr(args, option, False):
            overrides[rule] = value
    request = PlanningRequest(
        rules_file=getattr(args, "rules", None), scenario=getattr(args, "scenario", None),
        overrides=overrides, kreise=tuple(getattr(args, "kreis", None) or ()),
        plan_within_kreise=bool(getattr(args, "plan_within_kreis", False)),
        exclude=tuple(getattr(args, "exclude", None) or ()),
        locks=parse_locks(getattr(args, "lock", None) or ()),
        centres_file=getattr(args, "centres", None),
        grantees_file=getattr(args, "grantees", None),
        time_limit=getattr(args, "time_limit", None),
        buffer=getattr(args, "buffer", 1.0),
        link_via_uninhabited=not getattr(args, "no_link_via_uninhabited", False),
        # commands that show Verbünde say which are firm, unless asked not to; never for
        # several states (the analysis would take hours)
        flexibility=hasattr(args, "no_flexibility") and not args.no_flexibility
        and len(resolve_states(getattr(args, "state", "06"))) == 1,
        tie_break="foreign_residents" if getattr(args, "prefer_foreign_residents", False)
        else None)
    request.rules()  # rule errors before the data is read
    return request


# ------------------------------------------------------------------ printing


def _print_eligibility(frame: Any, centres: Any, grantees: Any, rules: Any) -> None:
    from wirgeo.core.i18n import number
    from wirgeo.programme import eligibility_counts
    from wirgeo.vocabulary import ELIGIBILITY
    from wirgeo.wording import describe_rules

    _print(_("KIV eligibility — {rules}").format(rules=describe_rules(rules)))
    counts = eligibility_counts(frame)
    # a planner reads the class in words; the codes are the table's (--out), not the screen's
    labels = [ELIGIBILITY.label(c) if c in ELIGIBILITY else translate(_TOTAL, "counts")
              for c in counts["eligibility"]]
    head = [translate(word, "counts") for word in _COUNT_HEADS]
    width = max(len(text) for text in [head[0], *labels])
    a, b, c = (max(len(h), 9) for h in head[1:])
    _print(f"  {head[0]:<{width}}  {head[1]:>{a}}  {head[2]:>{b}}  {head[3]:>{c}}")
    for r, label in zip(counts.itertuples(), labels, strict=True):
        if r.eligibility == "total":
            _print("  " + "-" * (width + a + b + c + 6))
        _print(f"  {label:<{width}}  {number(r.municipalities):>{a}}  "
               f"{number(r.population):>{b}}  {number(r.funded):>{c}}")
    _print_near_threshold(frame)
    _print_census(frame)
    if centres is not None:
        confirmed = int((centres["status"] == "confirmed").sum())
        at_address = int((centres["location_precision"] == "address").sum())
        total, town = len(centres), len(centres) - at_address
        _print(_("WIR-Vielfaltszentren: {total} ({confirmed} hosting office confirmed, "
                 "{inferred} inferred; {town} placed at the town centre, {address} at an "
                 "exact address)").format(total=total, confirmed=confirmed,
                                           inferred=total - confirmed, town=town,
                                           address=at_address))
    if grantees is not None:
        _print(_("KIV grantees documented: {count} — incomplete, the ministry speaks of "
                 "24–27 funded municipalities (add rows to data/kiv_grantees.csv)").format(
            count=len(grantees)))


#: The heads of the eligibility counts (in the context ``counts``).
_COUNT_HEADS = (NP_("counts", "class"), NP_("counts", "municipalities"),
                NP_("counts", "population"), NP_("counts", "funded"))
_TOTAL = NP_("counts", "total")


def _print_near_threshold(frame: Any) -> None:
    """How many municipalities lie just below or above a threshold, by label."""
    from wirgeo.core.i18n import percent
    from wirgeo.vocabulary import near_threshold_label

    if "near_threshold" not in frame.columns:
        return
    codes = frame.loc[frame["near_threshold"] != "", "near_threshold"]
    if codes.empty:
        return
    labels = codes.map(near_threshold_label)
    counts = ", ".join(f"{n} {label}" for label, n in sorted(labels.value_counts().items()))
    margin = frame.attrs.get("near_threshold_margin")
    if margin is None:
        _print(_("Near a threshold: {counts} — the next population release may change their "
                 "route").format(counts=counts))
    else:
        _print(_("Near a threshold (±{margin}): {counts} — the next population release may "
                 "change their route").format(margin=percent(margin, digits=0),
                                               counts=counts))


def _print_census(frame: Any) -> None:
    """The Zensus 2022 estimate against § 84 HGO, and where the figures come from."""
    from wirgeo.core.i18n import number
    from wirgeo.programme import load_council_law

    if not frame.attrs.get("census_attribution"):
        return
    law = load_council_law()
    flagged = int(frame["advisory_council"].fillna(False).sum())
    _print(_("Ausländerbeirat ({provision}): {count} Gemeinden with more than {threshold} "
             "estimated foreign residents — an estimate from Zensus 2022 shares, not a legal "
             "determination; an Integrations-Kommission may replace the council "
             "({alternative})").format(
                 provision=law.provision, count=number(flagged),
                 threshold=number(law.threshold),
                 alternative=law.alternative.provision))
    _print(_("Zensus 2022 indicators: {attribution}").format(
        attribution=frame.attrs["census_attribution"]))


def _print_summary(run: Any) -> None:
    """The run's summary line, its preferences, and every rule a locked Verbund breaks."""
    from wirgeo.wording import (
        flexibility_summary,
        preference_text,
        summary_line,
        violations_text,
    )

    _print(summary_line(run.summary()))
    for name, value in run.plan.preference_values().items():
        _print(_("preferred after coverage: {what}").format(
            what=preference_text(name, value)))
    if run.request is not None and run.request.flexibility:
        _print(_("Flexibility: {line}").format(line=flexibility_summary(run.flexibility())))
    table = run.plan.consortia
    for row in table[table["consortium_id"].isin(run.plan.broken_locks)].itertuples():
        _print(f"  {row.consortium_id}: {violations_text(row.rule_violations)}")


def _wrote(paths: Sequence[Path]) -> None:
    for path in paths:
        _print(_("wrote {path}").format(path=path))


# --------------------------------------------------------------------- data


def _cmd_data_check(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, write_table
    from wirgeo.exports.sheets import sheet_name
    from wirgeo.wording import report_text

    if args.out:
        check_output_path(args.out)
    _guard(args, [args.out])
    dataset = _dataset(args)
    _print(report_text(dataset.report))
    if args.out:
        _wrote([write_table(dataset.municipalities, args.out,
                            sheet_name=sheet_name("gemeinden"))])
    return 0


def _cmd_data_download(args: argparse.Namespace) -> int:
    from wirgeo.core.i18n import number
    from wirgeo.sources.download import DEFAULT_RELEASES, download_sources, read_registry

    releases = read_registry(args.registry) if args.registry else DEFAULT_RELEASES
    for entry in download_sources(args.source, releases, force=args.force):
        status = {"downloaded": _("downloaded"), "cached": _("cached")}.get(
            entry["status"], entry["status"])
        _print(_("{status:>10}  {file}  sha256 {sha256}…  ({size} bytes) from {url}").format(
            status=status, file=entry["file"], sha256=entry["sha256"][:16],
            size=number(entry["size"]), url=entry["url"]))
    return 0


def _cache_kind(kind: str) -> str:
    """What the on-disk cache keeps, by the kind :func:`wirgeo.planning.cache.info` counts."""
    return {"data": _("prepared data"), "contiguity": _("contiguity"), "plan": _("plans"),
            "flexibility": _("flexibility analyses")}.get(kind, kind)


def _cmd_data_cache(args: argparse.Namespace) -> int:
    from wirgeo.core.i18n import decimal
    from wirgeo.planning import cache

    held = cache.clear() if args.clear else cache.info()
    size = decimal(held.size / 1e6, digits=1)
    kinds = ", ".join(f"{_cache_kind(kind)} {count}"
                      for kind, count in held.entries.items())
    if args.clear:
        _print(_("cache emptied: {folder} ({size} MB: {kinds})").format(
            folder=held.folder, size=size, kinds=kinds or "—"))
    else:
        _print(_("cache: {folder} ({size} MB: {kinds})").format(
            folder=held.folder, size=size, kinds=kinds or "—"))
    return 0


def _cmd_data_bundle(args: argparse.Namespace) -> int:
    from wirgeo.core.i18n import number
    from wirgeo.municipalities import build_bundle
    from wirgeo.sources import bundle_info

    _guard(args, [args.out], sources="official")
    path = build_bundle(args.source, args.out, state=args.state)
    info = bundle_info(path)
    _print(_("wrote {path} ({size} bytes): {units} units of {state}, boundaries as of "
             "{boundaries} on the territory of {territory}, population as of "
             "{population}").format(
        path=path, size=number(path.stat().st_size), units=info["units"],
        state=info["state_name"], boundaries=info["boundaries"]["date"],
        territory=info["territory_date"], population=info["population"]["date"]))
    for source in info["sources"]:
        _print("  " + _("made from {file}  sha256 {sha256}").format(file=source["file"],
                                                                  sha256=source["sha256"]))
    return 0


def _count(value: Any) -> str:
    """An inhabitants figure with thousands separators; "—" where a table has none."""
    import pandas as pd

    from wirgeo.core.i18n import number

    return "—" if pd.isna(value) else number(int(value))


def _print_release_comparison(result: Any, old: str, new: str) -> None:
    from wirgeo.vocabulary import ELIGIBILITY, RELEASE_STATUS
    from wirgeo.wording import plan_summary, violations_text

    summary = result.summary
    _print(_("wirgeo data compare — population {old_date} ({old}) → {new_date} "
             "({new})").format(old_date=summary.at["population_date", "old"],
                               old=Path(old).name, new_date=summary.at["population_date", "new"],
                               new=Path(new).name))
    changes = result.changes

    def label(code: str) -> str:
        return ELIGIBILITY.label(code) if code in ELIGIBILITY else code

    _print(_("KIV class changes: {count}").format(count=len(changes)))
    for r in changes.itertuples(index=False):
        _print(f"  {r.ags} {r.name:<28} {_count(r.population_old):>9} → "
               f"{_count(r.population_new):<9} {label(r.class_old)} → {label(r.class_new)}")
    broken = result.broken
    _print(_("Verbünde of the old plan that break: {count} of {total}").format(
        count=len(broken), total=len(result.verbuende)))
    for status in ("broken", "not_optimal"):
        rows = broken[broken["status"] == status]
        _print(f"  {RELEASE_STATUS.label(status)}: {len(rows)}")
        for r in rows.itertuples(index=False):
            why = f" — {violations_text(r.problems)}" if len(r.problems) else ""
            _print(f"    {r.consortium_id} {', '.join(r.member_names)} "
                   f"({_count(r.population_old)} → {_count(r.population_new)}){why}")
    _print(_("old plan: {line}").format(line=plan_summary(result.old.plan)))
    _print(_("new plan: {line}").format(line=plan_summary(result.new.plan)))
    _print(_("kept from the old plan: {kept} of {total} Verbünde (among the plans placing "
             "the most small Gemeinden, the one keeping the most)").format(
                 kept=summary.at["kept", "new"], total=summary.at["kept", "old"]))


def _cmd_data_compare(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, write_release
    from wirgeo.planning.releases import compare_releases

    if args.out:
        check_output_path(args.out)
    request = _request(args)
    _guard(args, [args.out], request, inputs=[args.old, args.new])
    result = compare_releases(args.old, args.new, request=request, state=args.state,
                              source=args.source, basis=args.basis, census=args.census,
                              strict=not args.allow_unmatched, cache=not args.no_cache)
    _print_release_comparison(result, args.old, args.new)
    if args.out:
        _wrote([write_release(result, args.out)])
    return 0


# ---------------------------------------------------------------- programme


def _eligibility_frame(args: argparse.Namespace) -> tuple[Any, Any, Any, Any, Any]:
    """Eligibility with the programme tables, printed; also the rules and the run record."""
    from wirgeo.planning import RunRecord
    from wirgeo.programme import eligibility

    request = _request(args)
    _guard(args, [args.out], request)
    dataset = _dataset(args)
    centres, grantees = request.programme_tables(dataset.municipalities)
    rules = request.rules()
    frame = eligibility(dataset.municipalities, rules, grantees=grantees, centres=centres)
    if request.kreise:  # the rows of these Kreise; each classified as statewide
        from wirgeo.municipalities import resolve_kreise

        keys = resolve_kreise(request.kreise, frame, argument="kreis")
        frame = frame[frame["kreis_ags"].isin(keys)]
        frame.attrs["kreis_selection"] = ";".join(keys)  # the workbook's total says so
        if centres is not None:
            centres = centres[centres["host_ags"].astype(str).str[:5].isin(keys)]
        if grantees is not None:
            grantees = grantees[grantees["ags"].astype(str).str[:5].isin(keys)]
    _print_eligibility(frame, centres, grantees, rules)
    record = RunRecord.for_rules(rules, frame, request=request)
    return frame, centres, grantees, rules, record


def _cmd_eligibility(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, for_files, write_table
    from wirgeo.exports.sheets import sheet_name

    if args.out:
        check_output_path(args.out)
    frame = _eligibility_frame(args)[0]
    if args.out:
        _wrote([write_table(for_files(frame), args.out, sheet_name=sheet_name("gemeinden"))])
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, write_summary

    check_output_path(args.out, formats=(".xlsx",))
    frame, centres, grantees, rules, record = _eligibility_frame(args)
    _wrote([write_summary(frame, args.out, rules=rules, centres=centres, grantees=grantees,
                          rules_path=args.rules, record=record)])
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from wirgeo.rules import load_rules, rule_sources, scenario_names
    from wirgeo.wording import describe_rules

    rules = load_rules(args.rules, scenario=args.scenario)
    _print(describe_rules(rules))
    _print("  " + _("file: {path}").format(path=rules.source))
    _print()
    for source in rule_sources(args.rules):
        flag = "  " + _("[ASSUMPTION]") if source.assumption else ""
        _print(f"{source.rule} = {source.value!r}{flag}")
        _print(f"    „{source.quote}“")
        _print(f"    {source.source_url}")
        if source.note:
            _print(f"    {source.note}")
    _print()
    _print(_("scenarios (--scenario NAME):"))
    for name, description in scenario_names(args.rules).items():
        _print(f"  {name:<15} {description}")
    return 0


# --------------------------------------------------------------- plan, maps


def _layers(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """``--layers a,b c`` -> ("a", "b", "c"); the map checks the names."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",")
                 if part.strip())


def _cmd_map(args: argparse.Namespace) -> int:
    from wirgeo import maps
    from wirgeo.core.i18n import decimal

    path = maps.check_map_path(args.out, printable=True)
    printed = path.suffix.lower() != ".html" and path.suffix.lower() != ".htm"
    options = maps.MapOptions(
        layers=_layers(args.layers), kreise=tuple(args.kreis or ()),
        tiles=None if args.no_tiles else "OpenStreetMap", title=args.title,
        library="cdn" if args.cdn else "inline", paper=args.paper,
        orientation=args.orientation,
        tolerance_m=maps.DEFAULT_TOLERANCE_M if args.tolerance is None else args.tolerance)
    request = _request(args)
    _guard(args, [args.out], request)
    dataset = _dataset(args)
    # the plan covers the whole state: a Verbund reaching into the drawn Kreise is drawn whole
    run = request.run(dataset.municipalities)
    if printed:
        path = maps.save_static_map(maps.static_map(run, options), path)
    else:
        path = maps.save_map(maps.planning_map(run, options), path)
    _print_summary(run)
    size = decimal(path.stat().st_size / 1e6, digits=2)
    _print(_("wrote {path} ({size} MB)").format(path=path, size=size))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from wirgeo.exports import OUTPUT_FILES, write_outputs
    from wirgeo.wording import report_text

    outputs = [Path(args.out_dir) / name for name in OUTPUT_FILES]
    request = _request(args)
    _guard(args, outputs, request)
    dataset = _dataset(args)
    _print(report_text(dataset.report))
    # every table is computed (and every curated file checked) before anything is written
    run = request.run(dataset.municipalities)
    _print_eligibility(run.eligibility, run.centres, run.grantees, run.rules)
    _print_summary(run)
    _wrote(write_outputs(run, dataset, args.out_dir))
    out = Path(args.out_dir)
    _print(_("Open next: {map} (the planning map, in a browser) and {plan} (the suggested "
             "Verbünde, in Excel)").format(map=out / "hessen_planning_map.html",
                                          plan=out / "plan.xlsx"))
    return 0


def _cmd_consortia(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, write_plan

    check_output_path(args.out)
    if args.members:
        check_output_path(args.members, argument="members")
    request = _request(args)
    _guard(args, [args.out, args.members], request)
    dataset = _dataset(args)
    run = request.run(dataset.municipalities)
    written = write_plan(run, args.out, members=args.members)
    _print_summary(run)
    _wrote(written)
    return 0


def _cmd_partners(args: argparse.Namespace) -> int:
    from wirgeo.exports import check_output_path, write_table
    from wirgeo.exports.sheets import sheet_name
    from wirgeo.municipalities import resolve_municipality
    from wirgeo.wording import reason_text, summary_line

    if args.out:
        check_output_path(args.out)
    request = _request(args)
    _guard(args, [args.out], request)
    dataset = _dataset(args)
    municipalities = dataset.municipalities
    resolve_municipality(args.municipality, municipalities)  # a typo before the solve
    run = request.run(municipalities)
    table = run.partners(args.municipality)
    reason = reason_text(table.attrs["reason_code"], table.attrs["reason_figures"])
    _print(f"{table.attrs['name']} ({table.attrs['ags']}): {reason}")
    _print_partners(table, run)
    _print(summary_line(run.summary()))
    if args.out:
        _wrote([write_table(table, args.out, sheet_name=sheet_name("partners"))])
    return 0


def _cmd_dossier(args: argparse.Namespace) -> int:
    from wirgeo import dossier
    from wirgeo.core.i18n import _
    from wirgeo.errors import ArgumentError

    if args.verbund:
        return _dossier_verbund(args)
    if bool(args.all) == bool(args.kreis):
        raise ArgumentError("kreis", _("give either one Kreis (--kreis NAME --out FILE.pdf) "
                                       "or --all --out-dir DIR"), fix=_("choose one of the two"))
    if args.kreis and not args.out:
        raise ArgumentError("path", _("the dossier needs a file"), fix=_("add --out FILE.pdf"))
    if args.all and args.out is not None:
        # --out names one file; --all writes one per Landkreis: never silently ignored
        raise ArgumentError("out", _("--all writes one PDF per Landkreis into a folder"),
                            fix=_("name the folder with --out-dir DIR, or write one Kreis "
                                  "with --kreis NAME --out FILE.pdf"))
    # --kreis names the dossier's Kreis (one name), not the run's selection; the dossier
    # takes the statewide plan of the run itself (Planning.statewide)
    request = _request(argparse.Namespace(**{**vars(args), "kreis": None}))
    _guard(args, [] if args.all else [args.out], request)
    dataset = _dataset(args)
    run = request.run(dataset.municipalities)
    if args.all:
        out = Path(args.out_dir)
        _guard(args, [out / dossier.file_name(k, n) for k, n in dossier.landkreise(run)],
               request)
        _wrote(dossier.write_all(run, out))
    else:
        _wrote([dossier.write(run, args.kreis, args.out)])
    return 0


def _dossier_verbund(args: argparse.Namespace) -> int:
    """``dossier --verbund ID --out FILE.pdf``: the one-page sheet of one Verbund."""
    from wirgeo import dossier
    from wirgeo.errors import ArgumentError

    if args.kreis or args.all:
        raise ArgumentError("verbund", _("--verbund writes the sheet of one Verbund, not a "
                                         "Kreis dossier"),
                            fix=_("leave out --kreis and --all"))
    if not args.out:
        raise ArgumentError("path", _("the Verbund sheet needs a file"),
                            fix=_("add --out FILE.pdf"))
    request = _request(argparse.Namespace(**{**vars(args), "kreis": None}))
    _guard(args, [args.out], request)
    run = request.run(_dataset(args).municipalities)
    _wrote([dossier.write_verbund(run, args.verbund, args.out)])
    return 0


def _print_partners(table: Any, run: Any) -> None:
    from wirgeo.core.i18n import km, ngettext, number
    from wirgeo.wording import verbund_names

    if table.empty:
        _print(_("no feasible consortium under these rules"))
        return
    keeps = "keeps_optimum" in table.columns
    head = (ngettext("{count} feasible consortium: the planned one first, then those that "
                     "keep the optimum, then the rest (* = in the optimal plan; + = in "
                     "another best plan, keeps the optimum):",
                     "{count} feasible consortia: the planned one first, then those that "
                     "keep the optimum, then the rest (* = in the optimal plan; + = in "
                     "another best plan, keeps the optimum):", len(table)) if keeps else
            ngettext("{count} feasible consortium, the planned one first (* = in the "
                     "optimal plan):",
                     "{count} feasible consortia, the planned one first (* = in the optimal "
                     "plan):", len(table)))
    _print(head.format(count=number(len(table))))
    display = verbund_names(run.plan.consortia)  # "belegt durch" names, not ids
    near = _near_words(run)
    if table.attrs.get("ags") in near:
        _print(_("{name} is near a threshold ({label}): the next population release may "
                 "change its route").format(name=table.attrs["name"],
                                            label=near[table.attrs["ags"]]))
    for row in table.itertuples(index=False):
        # keeps_optimum is a nullable boolean: <NA> when the group is not a candidate
        mark = "*" if row.in_plan else "+" if keeps and str(row.keeps_optimum) == "True" \
            else " "
        kreis = _("one Kreis") if row.same_kreis else " / ".join(row.kreis_names)
        holders = "; ".join(display.get(c, c) for c in row.blocked_by)
        blocked = "  " + _("[taken by {names}]").format(names=holders) if holders else ""
        risky = [f"{name} ({near[a]})" for a, name in zip(
            row.partner_ags, row.partners, strict=True) if a in near]
        risk = "  " + _("[near a threshold: {names}]").format(names=", ".join(risky)) \
            if risky else ""
        _print(f"{mark}{row.rank:>4}  {', '.join(row.partners)}  ("
               + _("{population} inhabitants, {kreis}, shared border {border}").format(
                   population=number(row.population), kreis=kreis,
                   border=km(row.shared_border_km))
               + f"){blocked}{risk}")


def _near_words(run: Any) -> dict[str, str]:
    """AGS → "knapp unter 10.000" for every Gemeinde near a threshold (the eligibility's)."""
    from wirgeo.vocabulary import near_threshold_label

    e = run.eligibility
    if "near_threshold" not in e.columns:
        return {}
    return {str(a): near_threshold_label(str(c))
            for a, c in zip(e["ags"], e["near_threshold"].fillna(""), strict=True) if c}

# ------------------------------------------------------------ plan documents


def _document_outputs(path: Any) -> list[Any]:
    """A document's files: the CSV and its workbook twin, or the workbook alone."""
    from wirgeo.exports.negotiation import twin_path

    if not path:
        return []
    return [path, twin_path(path)] if Path(path).suffix.lower() == ".csv" else [path]


def _documents(args: argparse.Namespace) -> list[Any]:
    """The plan documents a command reads (inputs: never overwritten)."""
    return [getattr(args, name, None) for name in ("document", "document_b")]


def _basis(args: argparse.Namespace, outputs: Sequence[Any]) -> Any:
    """Rules checked, outputs guarded, data loaded: the basis documents are measured on."""
    from wirgeo.planning import NegotiationBasis

    request = _request(args)
    _guard(args, outputs, request, inputs=_documents(args))
    dataset = _dataset(args)
    return NegotiationBasis.of(dataset.municipalities, request)


def _cmd_plan_new(args: argparse.Namespace) -> int:
    import dataclasses

    from wirgeo.exports import check_output_path, write_negotiation
    from wirgeo.planning import NegotiationBasis, new_negotiation

    check_output_path(args.out, formats=(".csv", ".xlsx"))
    outputs = _document_outputs(args.out)
    request = _request(args)
    _guard(args, outputs, request)
    dataset = _dataset(args)
    run = request.run(dataset.municipalities)
    document = new_negotiation(run)
    basis = NegotiationBasis.of(dataset.municipalities, dataclasses.replace(
        request, locks=()), grantees=run.grantees)
    _print_summary(run)
    _wrote(write_negotiation(document, args.out, check=basis.check(document), basis=basis))
    return 0


def _print_check(check: Any, *, breaks: Any = None) -> None:
    from wirgeo.core.i18n import ngettext, number
    from wirgeo.vocabulary import PLAN_STATUS
    from wirgeo.wording import check_sentence, placed_line

    table = check.verbuende
    active = table[table["status"] != "rejected"]
    refused, declined = len(table) - len(active), len(check.document.declined())
    _print("; ".join([
        ngettext("{count} Verbund: {valid} valid, {invalid} breaking a rule",
                 "{count} Verbünde: {valid} valid, {invalid} breaking a rule",
                 len(active)).format(count=number(len(active)),
                                     valid=number(int(active["valid"].sum())),
                                     invalid=number(len(check.invalid))),
        ngettext("{count} refused group", "{count} refused groups", refused).format(
            count=number(refused)),
        ngettext("{count} Gemeinde takes no part", "{count} Gemeinden take no part",
                 declined).format(count=number(declined))]))
    _print(placed_line(check))
    shown = check.invalid if breaks is None else breaks
    for row in shown.to_dict("records"):
        _print(f"  {row['verbund']} ({PLAN_STATUS.label(row['status'])}; "
               f"{', '.join(row['member_names'])}): "
               f"{check_sentence(row, check.breaks, check.rules)}")


def _date(value: str) -> str:
    from wirgeo.core.i18n import date

    return date(value) if value else "—"


def _cmd_plan_check(args: argparse.Namespace) -> int:
    from wirgeo import maps
    from wirgeo.core.i18n import ngettext, number
    from wirgeo.exports import check_output_path, write_check
    from wirgeo.planning import check_release, release_breaks
    from wirgeo.sources import read_negotiation

    if args.out:
        check_output_path(args.out, formats=(".csv", ".xlsx"))
    if args.map:
        maps.check_map_path(args.map)
    _guard(args, [args.out, args.map], inputs=_documents(args))
    document = read_negotiation(args.document)   # a bad document before the data is read
    basis = _basis(args, [args.out, args.map])
    before = None
    if args.population:
        # the figures the document was kept with: the same sources without --population
        old = _dataset(argparse.Namespace(**{**vars(args), "population": None}))
        before, check = check_release(document, old.municipalities, basis.municipalities,
                                      basis.request)
        broke = release_breaks(before, check)
        _print(ngettext("Population {old} → {new}: {count} Verbund of the document breaks "
                        "under the new figures",
                        "Population {old} → {new}: {count} Verbünde of the document break "
                        "under the new figures", len(broke)).format(
            old=_date(before.population_date), new=_date(check.population_date),
            count=number(len(broke))))
        _print_check(check, breaks=broke)
    else:
        check = basis.check(document)
        _print_check(check)
    written = []
    if args.out:
        written.append(write_check(check, args.out, basis=basis, before=before))
    if args.map:
        written.append(maps.save_map(maps.document_map(
            check, basis.municipalities, name=Path(args.document).name), args.map))
    _wrote(written)
    return 0


def _cmd_plan_complete(args: argparse.Namespace) -> int:
    from wirgeo.core.i18n import ngettext, number
    from wirgeo.exports import check_output_path, write_negotiation
    from wirgeo.sources import read_negotiation
    from wirgeo.wording import cost_lines, placed_line, plan_summary

    check_output_path(args.out, formats=(".csv", ".xlsx"))
    _guard(args, _document_outputs(args.out), inputs=_documents(args))
    document = read_negotiation(args.document)   # a bad document before the data is read
    basis = _basis(args, _document_outputs(args.out))
    completion = basis.complete(document, costs=not args.no_costs)
    _print(plan_summary(completion.plan))
    if completion.check.view:
        _print(placed_line(completion.check))
    for line in cost_lines(completion):
        _print(line)
    dropped = completion.dropped
    if len(dropped):
        _print(ngettext("{count} open Verbund of the document is not in the optimal "
                        "completion: {labels}",
                        "{count} open Verbünde of the document are not in the optimal "
                        "completion: {labels}", len(dropped)).format(
            count=number(len(dropped)), labels=", ".join(dropped["verbund"])))
    _wrote(write_negotiation(completion.document, args.out, check=completion.check,
                             completion=completion, basis=basis))
    return 0


_LISTED = 30  # Gemeinden a comparison prints; the report holds every one


def _cmd_plan_compare(args: argparse.Namespace) -> int:
    from wirgeo import maps
    from wirgeo.core.i18n import ngettext, number
    from wirgeo.exports import check_output_path, write_comparison
    from wirgeo.sources import read_negotiation
    from wirgeo.vocabulary import PLAN_CHANGES
    from wirgeo.wording import placed_line

    if args.out:
        check_output_path(args.out, formats=(".csv", ".xlsx"))
    if args.map:
        maps.check_map_path(args.map)
    _guard(args, [args.out, args.map], inputs=_documents(args))
    first, second = read_negotiation(args.document), read_negotiation(args.document_b)
    basis = _basis(args, [args.out, args.map])
    comparison = basis.compare(first, second)
    names = (Path(args.document).name, Path(args.document_b).name)
    for name, check in zip(names, (comparison.a, comparison.b), strict=True):
        _print(f"{name} — {placed_line(check)}")
    counts = comparison.verbuende["change"].value_counts()
    _print(_("Verbünde: {counts}").format(counts=", ".join(
        f"{number(int(counts.get(c, 0)))} {PLAN_CHANGES.label(c)}" for c in
        ("added", "removed", "changed", "status", "kept"))))
    moved = comparison.gemeinden
    _print(ngettext("{count} Gemeinde placed differently",
                    "{count} Gemeinden placed differently", len(moved)).format(
        count=number(len(moved))))
    for r in moved.head(_LISTED).itertuples(index=False):
        _print(f"  {r.ags} {r.name}: {r.verbund_a or '—'} → {r.verbund_b or '—'} "
               f"({PLAN_CHANGES.label(r.change)})")
    if len(moved) > _LISTED:
        _print("  " + _("… and {count} more (all of them in the report, --out)").format(
            count=number(len(moved) - _LISTED)))
    written = []
    if args.out:
        written.append(write_comparison(comparison, args.out, names=names, basis=basis))
    if args.map:
        written.append(maps.save_map(maps.negotiation_map(
            comparison, basis.municipalities, names=names), args.map))
    _wrote(written)
    return 0


# -------------------------------------------------------------------- parser


def _command(commands: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A command's parser, with the language option every command has."""
    from wirgeo.locale import LANGUAGES

    # the command's own --help says what it does, in the words of the command list
    kwargs.setdefault("description", kwargs.get("help"))
    parser: argparse.ArgumentParser = commands.add_parser(name, **kwargs)
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=_("language of everything the command writes for people "
                               "(default: $WIRGEO_LANG, else de)"))
    return parser


def _source_option(parser: Any, help_text: str) -> None:
    parser.add_argument("--source", metavar=_("DIR"), help=help_text)


def _state_option(parser: Any) -> None:
    parser.add_argument("--state", default="06", metavar="SN_L",
                        help=_("two-digit state key (default: 06 = Hessen)"))


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("official sources"))
    _source_option(group, _("folder with the official files (default: $WIRGEO_SOURCE, else "
                            "geo/sources/)"))
    group.add_argument("--state", nargs="+", default=["06"], metavar="SN_L",
                       help=_("two-digit state key (default: 06 = Hessen); several keys, "
                              "or de for all of Germany (then with --allow-unmatched where "
                              "boundaries and population differ in date)"))
    group.add_argument("--boundaries", metavar=_("FILE"),
                       help=_("a VG250 GeoPackage, instead of searching the source folder"))
    group.add_argument("--population", metavar=_("FILE"),
                       help=_("population table overriding the one in the source folder: "
                              "Destatis xlsx or CSV with columns ags, population, date"))
    _add_release_options(group)
    group.add_argument("--allow-unmatched", action="store_true",
                       help=_("explore anyway when boundaries and population do not fully "
                              "match (default: strict, unmatched inhabited units are an "
                              "error)"))
    group.add_argument("--no-cache", action="store_true",
                       help=_("neither read nor keep anything in the cache in geo/cache/ "
                              "(prepared data, plans, their flexibility, contiguity): "
                              "compute afresh"))


def _add_release_options(group: Any) -> None:
    """Where a release's other rows and the Zensus 2022 indicators come from."""
    group.add_argument("--basis", metavar=_("FILE"),
                       help=_("the full release a population file with only the changed "
                              "rows changes (Destatis xlsx or CSV); its rows fill in every "
                              "Gemeinde the file does not list"))
    group.add_argument("--census", metavar=_("FILE"),
                       help=_("the Zensus 2022 table (default: the one in the source "
                              "folder, else wirgeo's embedded copy)"))


def _add_programme_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("programme data"))
    group.add_argument("--rules", metavar=_("FILE"),
                       help=_("KIV rules (default: data/kiv_rules.toml)"))
    group.add_argument("--scenario", metavar=_("NAME"),
                       help=_("a named scenario of the rules file, e.g. band_10k_30k (list "
                              "them with `wirgeo rules`)"))
    group.add_argument("--centres", metavar=_("FILE"),
                       help=_("WIR-Vielfaltszentren table (default: data/wir_centres.csv)"))
    group.add_argument("--grantees", metavar=_("FILE"),
                       help=_("KIV grantee table (default: data/kiv_grantees.csv)"))


def _add_kreis_option(parser: argparse.ArgumentParser, help_text: str, *,
                      plan: bool = True) -> None:
    parser.add_argument("--kreis", nargs="+", action="extend", metavar=_("NAME_OR_AGS"),
                        help=_("{what} (name with or without 'Landkreis', or 5-digit key; "
                               "several allowed)").format(what=help_text))
    if not plan:  # a table without a plan: the Kreise only choose its rows
        return
    parser.add_argument("--plan-within-kreis", action="store_true",
                        help=_("plan Verbünde only among the municipalities of the --kreis "
                               "selection (default: show that part of the statewide plan); "
                               "stated on every output"))


def _add_flexibility_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-flexibility", action="store_true",
                        help=_("skip deciding which Verbünde every best plan needs (firm) "
                               "and their alternatives (exact; a few seconds for all of "
                               "Hessen, then kept in the cache); always skipped for several "
                               "states (it would take hours)"))


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Rules file, programme tables and per-run overrides of the Verbund plan."""
    from wirgeo.core.i18n import _

    _add_programme_options(parser)
    group = parser.add_argument_group(_("Verbund rules for this run (override the rules "
                                        "file)"))
    group.add_argument("--max-members", type=int, metavar="N",
                       help=_("largest Verbund (default 3)"))
    group.add_argument("--min-members", type=int, metavar="N",
                       help=_("smallest Verbund (default 2)"))
    group.add_argument("--min-population", type=int, metavar="N",
                       help=_("combined population a Verbund must reach (default 10000)"))
    group.add_argument("--max-population", type=int, metavar="N",
                       help=_("combined population a Verbund may not exceed (default "
                              "50000)"))
    group.add_argument("--same-kreis", action="store_true",
                       help=_("all members in one Kreis"))
    group.add_argument("--allow-large-partner", action="store_true",
                       help=_("one partner may be large enough to apply alone"))
    group.add_argument("--include-funded", action="store_true",
                       help=_("plan already funded municipalities again"))
    group.add_argument("--mutual", action="store_true",
                       help=_("every pair of members must border (default: connected)"))
    group.add_argument("--exclude", action="append", metavar=_("NAME_OR_AGS"),
                       help=_("never place this municipality (repeatable)"))
    group.add_argument("--lock", action="append", metavar="A,B[,C]",
                       help=_("fix this consortium in advance, members by name or AGS "
                              "separated by commas (repeatable)"))
    group.add_argument("--buffer", type=float, default=1.0, metavar="M",
                       help=_("metres of tolerance when testing borders (default 1)"))
    group.add_argument("--no-link-via-uninhabited", action="store_true",
                       help=_("uninhabited gemeindefreie Gebiete do not link the "
                              "municipalities around them"))
    group.add_argument("--prefer-foreign-residents", action="store_true",
                       help=_("among the plans placing the most small Gemeinden, prefer "
                              "the one whose Verbünde hold the most foreign residents "
                              "(Zensus 2022 estimate; right after coverage, never instead "
                              "of the rule)"))


def _add_data_commands(commands: Any) -> None:
    data = commands.add_parser("data", help=_("official source data: check, download, "
                                              "cache, bundle, compare"))
    data_commands = data.add_subparsers(dest="data_command", required=True,
                                        metavar=_("ACTION"))
    check = _command(data_commands, "check",
                     help=_("join boundaries and population and print the report"))
    _add_source_options(check)
    check.add_argument("--out", metavar=_("FILE"),
                       help=_("also write the joined table (.gpkg, .geojson, .csv, .xlsx, "
                              ".parquet)"))
    check.set_defaults(func=_cmd_data_check)
    download = _command(data_commands, "download",
                        help=_("fetch the current official releases into the source folder"))
    _source_option(download, _("folder to download into (default: $WIRGEO_SOURCE, else "
                               "geo/sources/)"))
    download.add_argument("--registry", metavar=_("FILE"),
                          help=_("TOML file replacing the download addresses"))
    download.add_argument("--force", action="store_true", help=_("download again"))
    download.set_defaults(func=_cmd_data_download)
    cache = _command(data_commands, "cache",
                     help=_("what the on-disk cache holds (prepared data, plans, their "
                            "flexibility, contiguity); --clear empties it"))
    cache.add_argument("--clear", action="store_true",
                       help=_("remove everything from the cache (it is computed again "
                              "when next needed)"))
    cache.set_defaults(func=_cmd_data_cache)
    _add_bundle_commands(data_commands)


def _add_bundle_commands(data_commands: Any) -> None:
    from wirgeo.core.i18n import _

    bundle = _command(data_commands,
        "bundle", help=_("build the embedded dataset (boundaries + population, one "
                         "GeoParquet file shipped with wirgeo) from the official files"))
    _source_option(bundle, _("folder with the official files (default: $WIRGEO_SOURCE, else "
                             "geo/sources/)"))
    bundle.add_argument("--out", metavar=_("FILE"),
                        help=_("file to write (default: the bundle inside the package, "
                               "src/wirgeo/sources/data/)"))
    _state_option(bundle)
    bundle.set_defaults(func=_cmd_data_bundle)

    compare = _command(
        data_commands, "compare", help=_("who changes KIV class between two population "
                                         "releases, and which Verbünde of the old plan break"))
    compare.add_argument("old", metavar=_("OLD"),
                         help=_("the old release: Destatis xlsx, population CSV, the "
                                "Zensus 2022 table or a source folder"))
    compare.add_argument("new", metavar=_("NEW"), help=_("the new release (the same kinds)"))
    compare.add_argument("--out", metavar=_("FILE"),
                         help=_("write the comparison: .xlsx a workbook for people (one "
                                "sheet per question), .csv, .parquet, … the Gemeinden that "
                                "change class"))
    group = compare.add_argument_group(_("official sources"))
    _source_option(group, _("folder with the boundaries a population file is joined to "
                            "(default: $WIRGEO_SOURCE, else geo/sources/, else the embedded "
                            "bundle)"))
    _state_option(group)
    _add_release_options(group)
    group.add_argument("--allow-unmatched", action="store_true",
                       help=_("explore anyway when boundaries and population do not fully "
                              "match"))
    group.add_argument("--no-cache", action="store_true",
                       help=_("neither read nor keep anything in the cache in geo/cache/ "
                              "(prepared data, plans, their flexibility, contiguity): "
                              "compute afresh"))
    _add_rule_options(compare)
    compare.set_defaults(func=_cmd_data_compare)


def _add_programme_commands(commands: Any) -> None:
    eligible = _command(commands, "eligibility",
                        help=_("KIV eligibility, funding and serving Vielfaltszentrum of "
                               "every municipality; prints the counts"))
    _add_source_options(eligible)
    _add_programme_options(eligible)
    _add_kreis_option(eligible, _("only the municipalities of these Kreise"), plan=False)
    eligible.add_argument("--out", metavar=_("FILE"),
                          help=_("write the table (.csv, .xlsx, .geojson, .gpkg, .parquet)"))
    eligible.set_defaults(func=_cmd_eligibility)

    summary = _command(commands, "summary",
                       help=_("Excel workbook: per-Kreis figures, municipalities, centres, "
                              "grantees, rules and sources"))
    _add_source_options(summary)
    _add_programme_options(summary)
    _add_kreis_option(summary, _("only these Kreise, their municipalities, centres and "
                                 "grants"), plan=False)
    summary.add_argument("--out", metavar=_("FILE"), required=True,
                         help=_("the workbook to write (.xlsx)"))
    summary.set_defaults(func=_cmd_summary)

    rules = _command(commands, "rules", help=_("print the KIV rule set with its sources and "
                                               "the named scenarios"))
    rules.add_argument("--rules", metavar=_("FILE"),
                       help=_("KIV rules (default: data/kiv_rules.toml)"))
    rules.add_argument("--scenario", metavar=_("NAME"), help=_("show this scenario's values"))
    rules.set_defaults(func=_cmd_rules)


def _add_map_command(commands: Any) -> None:
    map_ = _command(commands, "map",
                    help=_("write the planning map as one standalone HTML file"))
    _add_source_options(map_)
    map_.add_argument("--out", required=True, metavar=_("FILE"),
                      help=_("output file: .html (interactive, self-contained) or a print "
                             "map .png, .pdf, .svg"))
    _add_kreis_option(map_, _("draw these Kreise and every Verbund with a member there"))
    map_.add_argument("--layers", nargs="+", action="extend", metavar=_("LAYER"),
                      help=_("layers to draw, comma or space separated (default: all): "
                             "eligibility, population, foreign_share, consortia, unplaced, "
                             "grantees, centres, kreise, regierungsbezirke; foreign_share "
                             "(Zensus 2022) is off until switched on in the HTML map; a "
                             "print map with it is filled by the foreign share"))
    map_.add_argument("--no-tiles", action="store_true",
                      help=_("no base map (the page then makes no request at all)"))
    map_.add_argument("--cdn", action="store_true",
                      help=_("link the map library (Leaflet) from its CDN instead of writing "
                             "it into the file: about 160 kB smaller, but needs the internet"))
    map_.add_argument("--tolerance", type=float, metavar=_("METRES"),
                      help=_("simplification of the drawn borders in metres (default: 200; "
                             "0 = full resolution; analyses always use full resolution)"))
    map_.add_argument("--title", metavar=_("TEXT"), help=_("title shown on the map"))
    map_.add_argument("--paper", choices=("A4", "A3"), default="A4",
                      help=_("paper of a print map (default: A4)"))
    map_.add_argument("--orientation", choices=("landscape", "portrait"),
                      default="landscape",
                      help=_("of a print map (default: landscape)"))
    _add_rule_options(map_)
    _add_flexibility_option(map_)
    map_.set_defaults(func=_cmd_map)


def _add_plan_commands(commands: Any) -> None:
    demo = _command(commands, "demo", help=_("the main job: check the data and write every "
                                             "result into out/"))
    _add_source_options(demo)
    _add_rule_options(demo)
    _add_flexibility_option(demo)
    demo.add_argument("--out-dir", default="out", metavar=_("DIR"),
                      help=_("output folder (default: out/)"))
    demo.set_defaults(func=_cmd_demo)

    consortia = _command(commands, "consortia",
                         help=_("the provably best plan of KIV consortia (Verbünde)"))
    _add_source_options(consortia)
    _add_kreis_option(consortia, _("list the Verbünde with a member in these Kreise"))
    _add_rule_options(consortia)
    _add_flexibility_option(consortia)
    consortia.add_argument("--time-limit", type=float, metavar="S",
                           help=_("seconds for the solver; the best plan found is written "
                                  "with its gap"))
    consortia.add_argument("--out", required=True, metavar=_("FILE"),
                           help=_("one row per consortium (.csv, .xlsx, .geojson, .gpkg, "
                                  ".parquet); .xlsx also gets a sheet per municipality"))
    consortia.add_argument("--members", metavar=_("FILE"),
                           help=_("also write one row per municipality with its consortium "
                                  "or the reason it has none"))
    consortia.set_defaults(func=_cmd_consortia)

    partners = _command(commands, "partners",
                        help=_("every feasible Verbund for one municipality, the planned "
                               "one first"))
    partners.add_argument("municipality", metavar=_("NAME_OR_AGS"),
                          help=_("the municipality (name or 8-digit AGS)"))
    _add_source_options(partners)
    _add_kreis_option(partners, _("the Kreise of the run"))
    _add_rule_options(partners)
    _add_flexibility_option(partners)
    partners.add_argument("--out", metavar=_("FILE"), help=_("also write the table"))
    partners.set_defaults(func=_cmd_partners)


def _add_dossier_command(commands: Any) -> None:
    dossier = _command(commands, "dossier",
                       help=_("the printed dossier (PDF) of one Landkreis, or of all of them"))
    dossier.add_argument("--kreis", metavar=_("NAME_OR_AGS"),
                         help=_("the Landkreis (name with or without 'Landkreis', or key)"))
    dossier.add_argument("--verbund", metavar="ID",
                         help=_("instead: a one-page sheet of one suggested Verbund for the "
                                "application (its id, e.g. from the plan workbook)"))
    dossier.add_argument("--out", metavar="FILE.pdf",
                         help=_("the PDF to write (with --kreis or --verbund)"))
    dossier.add_argument("--all", action="store_true",
                         help=_("one dossier per Landkreis into --out-dir"))
    dossier.add_argument("--out-dir", default="out/dossiers", metavar=_("DIR"),
                         help=_("folder for --all (default: out/dossiers/)"))
    _add_source_options(dossier)
    _add_rule_options(dossier)
    dossier.set_defaults(func=_cmd_dossier)


def _add_negotiation_commands(commands: Any) -> None:
    group = commands.add_parser("plan", help=_(
        "your own plan document: start it, check it, complete it optimally, compare two"))
    actions = group.add_subparsers(dest="plan_command", required=True, metavar=_("ACTION"))
    new = _command(actions, "new", help=_("the optimal plan as a plan document (every "
                                          "Verbund proposed)"))
    _add_source_options(new)
    _add_kreis_option(new, _("the Verbünde with a member in these Kreise"))
    _add_rule_options(new)
    new.add_argument("--time-limit", type=float, metavar="S",
                     help=_("seconds for the solver"))
    new.add_argument("--out", required=True, metavar=_("FILE"),
                     help=_("the document: .csv (with its .xlsx twin for people beside it) "
                            "or .xlsx"))
    new.set_defaults(func=_cmd_plan_new)

    check = _command(actions, "check", help=_(
        "every Verbund of a plan document valid or not, with the rules it breaks"))
    check.add_argument("document", metavar=_("FILE"), help=_("the plan document (.csv or "
                                                          "its .xlsx twin)"))
    _add_source_options(check)
    _add_kreis_option(check, _("count the small Gemeinden of these Kreise"))
    _add_rule_options(check)
    check.add_argument("--out", metavar=_("REPORT"),
                       help=_(".csv one row per Verbund, or .xlsx for people; with "
                              "--population: which Verbünde break under those figures"))
    check.add_argument("--map", metavar="FILE.html",
                       help=_("a map of the document: Verbünde by status, those breaking a "
                              "rule, Gemeinden taking no part"))
    check.set_defaults(func=_cmd_plan_check)
    _add_complete_command(actions)
    _add_compare_command(actions)


def _add_complete_command(actions: Any) -> None:
    complete = _command(actions, "complete", help=_(
        "complete a plan document optimally: agreed, applied and funded Verbünde kept, "
        "rejected groups never proposed again, declined Gemeinden left out"))
    complete.add_argument("document", metavar=_("FILE"), help=_("the plan document"))
    _add_source_options(complete)
    _add_kreis_option(complete, _("the completed document holds the Verbünde with a member "
                                  "in these Kreise"))
    _add_rule_options(complete)
    complete.add_argument("--time-limit", type=float, metavar="S",
                          help=_("seconds for the solver"))
    complete.add_argument("--no-costs", action="store_true",
                          help=_("skip what each decision costs (one more solve per "
                                 "decision)"))
    complete.add_argument("--out", required=True, metavar=_("FILE"),
                          help=_("the completed document: .csv (with its .xlsx twin) or "
                                 ".xlsx"))
    complete.set_defaults(func=_cmd_plan_complete)


def _add_compare_command(actions: Any) -> None:
    compare = _command(actions, "compare", help=_(
        "two plan documents: Gemeinden placed differently, Verbünde added, removed, "
        "changed"))
    compare.add_argument("document", metavar="A", help=_("the first plan document"))
    compare.add_argument("document_b", metavar="B", help=_("the second plan document"))
    _add_source_options(compare)
    _add_kreis_option(compare, _("count the small Gemeinden of these Kreise"))
    _add_rule_options(compare)
    compare.add_argument("--out", metavar=_("REPORT"),
                         help=_(".csv one row per Gemeinde placed differently, or .xlsx "
                                "for people"))
    compare.add_argument("--map", metavar="FILE.html",
                         help=_("a map of both plans: every Gemeinde placed differently"))
    compare.set_defaults(func=_cmd_plan_compare)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``wirgeo`` (exposed for documentation and tests).

    Its words are in the active language (:func:`wirgeo.core.i18n.speaking`); argparse's
    own ("usage:", "error:") follow while :func:`main` runs (:func:`argparse_words`).
    """
    parser = argparse.ArgumentParser(
        prog="wirgeo",
        description=_("Planning tool for Hessen's WIR – Vielfalt und Teilhabe programme."))
    parser.add_argument("--version", action="version", version=f"wirgeo {__version__}",
                        help=_("show the version and exit"))
    commands = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))
    _add_data_commands(commands)
    _add_programme_commands(commands)
    _add_map_command(commands)
    _add_plan_commands(commands)
    _add_dossier_command(commands)
    _add_negotiation_commands(commands)
    return parser


def _refuse_empty(args: argparse.Namespace) -> None:
    """``--out ''`` or ``--layers ''`` is a mistake, never "nothing to write" (exit 0)."""
    from wirgeo.core.i18n import _

    for name in _NOT_EMPTY:
        value = getattr(args, name, None)
        values = value if isinstance(value, list) else [value]
        if value is not None and any(not str(v).strip() for v in values):
            raise ArgumentError(name, _("is empty"),
                                fix=_("give a name, or leave the option out"))


def _message(exc: WirgeoError) -> str:
    """The error as the command line says it: options instead of Python arguments."""
    if isinstance(exc, ArgumentError) and exc.argument in FLAGS:
        return exc.render(FLAGS[exc.argument])
    return str(exc)


def _error(text: str) -> None:
    print(_("wirgeo: error: {message}").format(message=text), file=sys.stderr, flush=True)


class _NoteHandler(logging.Handler):
    """Library notes (encoding read, CRS reprojected, cache rebuilt) as one stderr line."""

    def emit(self, record: logging.LogRecord) -> None:
        # sys.stderr looked up on each note: tests and pipes may have replaced it
        print(f"wirgeo: {record.getMessage()}", file=sys.stderr, flush=True)


def _show_notes() -> None:
    logger = logging.getLogger("wirgeo")
    if not any(isinstance(h, _NoteHandler) for h in logger.handlers):
        logger.addHandler(_NoteHandler())
    logger.setLevel(logging.INFO)


#: argparse's own words ("usage:", "error:", its errors), marked here so that they are in
#: the catalogs; :func:`argparse_words` has argparse say them in the reader's language.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"), N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _argparse_plurals(count: int) -> list[str]:
    """The plural messages of argparse, marked here for the catalogs (argparse asks)."""
    return [ngettext("expected %s argument", "expected %s arguments", count)]


@contextlib.contextmanager
def argparse_words() -> Iterator[None]:
    """Have argparse say its own words ("usage:", "error: …") from wirgeo's catalogs.

    argparse looks them up through its module-level ``_`` and ``ngettext`` (the gettext
    functions of the standard library); for the length of a command they are wirgeo's,
    in the active language, and afterwards what they were.
    """
    before = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before  # type: ignore[attr-defined]


def _argv_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of a command line, read before argparse speaks (its ``--help`` too).

    >>> _argv_language(["consortia", "--lang", "en", "--help"]), _argv_language(["--lang=de"])
    ('en', 'de')
    >>> _argv_language(["consortia", "--lang", "fr"]) is None  # argparse will say why
    True
    """
    from wirgeo.core.i18n import LANGUAGES

    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return None


EXIT_BUG = 1


def _speakable_streams() -> None:
    """Let stdout and stderr write every character, whatever their encoding.

    With ``PYTHONIOENCODING=ascii`` (or a console in an old code page) an umlaut would
    stop the command with a ``UnicodeEncodeError``; such a stream writes ``?`` instead.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "äöüßÄÖÜ–—„“€·".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="replace")


def _crash_log(exc: BaseException, argv: Sequence[str] | None) -> Path | None:
    """Write the traceback of an unexpected error into a log file; return its path.

    The log lies in the system's temporary folder (``$TMPDIR/wirgeo/``), which every user
    can write, whatever else is broken.
    """
    import datetime as dt
    import platform
    import tempfile
    import traceback

    folder = Path(tempfile.gettempdir()) / "wirgeo"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    text = (f"wirgeo {__version__}, Python {platform.python_version()}, "
            f"{platform.platform()}\ncommand: wirgeo "
            f"{' '.join(sys.argv[1:] if argv is None else map(str, argv))}\n\n"
            + "".join(traceback.format_exception(exc)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Exit codes: 0 done, 2 a problem with the input (one message naming file, row,
    column or option and the fix), 130 interrupted, 1 a bug in wirgeo — then one line
    names a log file with the details (``$TMPDIR/wirgeo/crash-….log``), never a traceback
    on screen.
    """
    import dataclasses

    from wirgeo.settings import Settings, settings

    _speakable_streams()
    _show_notes()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # the environment of this command, read once; the settings are restored after it.
        # The language comes first, so argparse's help and errors already speak it
        environment = dataclasses.asdict(Settings.from_environment())
        with settings.override(**environment), argparse_words():
            lang = _argv_language(argv)
            if lang:
                settings.language = lang
            return _run(argv)
    except Exception as exc:  # the last resort: a bug, said in one line with its log
        from wirgeo.core.i18n import _

        log = _crash_log(exc, argv)
        where = _("details in {log}").format(log=log) if log else _(
            "no log could be written")
        print(_("wirgeo: internal error ({kind}: {message}); {where}. Please report it with "
                "that file.").format(kind=type(exc).__name__,
                                     message=str(exc).splitlines()[0][:200] if str(exc)
                                     else "-", where=where), file=sys.stderr, flush=True)
        return EXIT_BUG


def _run(argv: Sequence[str]) -> int:
    from wirgeo.core.i18n import language

    try:
        language()  # a bad WIRGEO_LANG: one error, before argparse speaks
    except WirgeoError as exc:
        _error(_message(exc))
        return EXIT_INPUT
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _refuse_empty(args)
        if getattr(args, "no_cache", False):
            from wirgeo.settings import settings

            settings.cache = False  # neither data layers nor results (plans, flexibility)
        return func(args)
    except WirgeoError as exc:
        _error(_message(exc))
        return EXIT_INPUT
    except OSError as exc:
        # permissions, a full disk, a folder where a file belongs: the user's to fix, so
        # one message with the path, from wherever in reading or writing it happened
        _error(str(FileAccessError.from_os_error(exc)))
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(_("wirgeo: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - _print already absorbs a closed stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
