"""The ``wirgeo`` command line.

Every command reads the official sources (``--source DIR``, else ``WIRGEO_SOURCE``, else
``geo/sources/``) and writes its output atomically. Problems with the input are printed as
one message naming file, row, column and fix, and the command exits with code 2 — never
with a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from wirgeo import __version__
from wirgeo.errors import WirgeoError

__all__ = ["main", "build_parser"]

EXIT_INPUT = 2


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("official sources")
    group.add_argument("--source", metavar="DIR",
                       help="folder with the official files (default: $WIRGEO_SOURCE, "
                            "else geo/sources/)")
    group.add_argument("--state", default="06", metavar="SN_L",
                       help="two-digit state key (default: 06 = Hessen)")
    group.add_argument("--boundaries", metavar="FILE",
                       help="a VG250 GeoPackage, instead of searching the source folder")
    group.add_argument("--population", metavar="FILE",
                       help="population table overriding the one in the source folder: "
                            "Destatis xlsx or CSV with columns ags, population, date")
    group.add_argument("--allow-unmatched", action="store_true",
                       help="explore anyway when boundaries and population do not fully "
                            "match (default: strict, unmatched inhabited units are an error)")
    group.add_argument("--no-cache", action="store_true",
                       help="do not read or write prepared layers in geo/cache/")


def _load(args) -> object:
    from wirgeo.municipalities import load

    return load(args.state, source=args.source, boundaries=args.boundaries,
                population=args.population, strict=not args.allow_unmatched,
                cache=not args.no_cache)


def _print(text: str = "") -> None:
    print(text, flush=True)


# ------------------------------------------------------------------------- data


def _cmd_data_check(args) -> int:
    from wirgeo import exports

    if args.out:
        exports.check_output_path(args.out)
    dataset = _load(args)
    _print(str(dataset.report))
    if args.out:
        exports.write_table(dataset.municipalities, args.out, sheet_name="Gemeinden")
        _print(f"wrote {args.out}")
    return 0


def _cmd_data_download(args) -> int:
    from wirgeo.download import DEFAULT_RELEASES, download_sources, read_registry

    releases = read_registry(args.registry) if args.registry else DEFAULT_RELEASES
    for entry in download_sources(args.source, releases, force=args.force):
        _print(f"{entry['status']:>10}  {entry['file']}  sha256 {entry['sha256'][:16]}…  "
               f"({entry['size']:,} bytes) from {entry['url']}")
    return 0


# ------------------------------------------------------------------------- demo


def _cmd_demo(args) -> int:
    from wirgeo import exports, maps
    from wirgeo.exports import write_summary

    out = Path(args.out_dir)
    dataset = _load(args)
    _print(str(dataset.report))
    # every table is computed (and every curated file checked) before anything is written
    run = _planning(args, dataset)
    _print_eligibility(run.eligibility, run.centres, run.grantees)
    _print(run.plan.summary_line())
    planning_map = maps.planning_map(dataset.municipalities, **run.map_tables())
    written = [
        exports.write_table(dataset.municipalities, out / "municipalities.gpkg"),
        write_summary(run.eligibility, out / "summary.xlsx", centres=run.centres,
                      grantees=run.grantees, rules_path=getattr(args, "rules", None)),
        exports.write_table(run.plan.consortia, out / "consortia.csv"),
        exports.write_table(run.unplaced, out / "unplaced.csv"),
        maps.save_map(planning_map, out / "hessen_planning_map.html"),
    ]
    for path in written:
        _print(f"wrote {path}")
    return 0


# -------------------------------------------------------------------- programme


def _add_programme_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("programme data")
    group.add_argument("--rules", metavar="FILE",
                       help="KIV rules (default: data/kiv_rules.toml)")
    group.add_argument("--scenario", metavar="NAME",
                       help="a named scenario of the rules file, e.g. band_10k_30k "
                            "(list them with `wirgeo rules`)")
    group.add_argument("--centres", metavar="FILE",
                       help="WIR-Vielfaltszentren table (default: data/wir_centres.csv)")
    group.add_argument("--grantees", metavar="FILE",
                       help="KIV grantee table (default: data/kiv_grantees.csv)")


def _programme_tables(args, municipalities):
    """Centres and grantees (validated): the files given, else the curated ones for Hessen."""
    from wirgeo.programme import load_centres, load_grantees, programme_tables

    centres_file, grantees_file = getattr(args, "centres", None), getattr(args, "grantees", None)
    centres = load_centres(centres_file, municipalities) if centres_file else None
    grantees = load_grantees(grantees_file, municipalities) if grantees_file else None
    return programme_tables(municipalities, centres, grantees)


def _programme_frame(args, dataset):
    """Rules, centres, grantees (all validated) and the eligibility frame."""
    from wirgeo.programme import eligibility
    from wirgeo.rules import load_rules

    rules = load_rules(getattr(args, "rules", None), scenario=getattr(args, "scenario", None))
    centres, grantees = _programme_tables(args, dataset.municipalities)
    frame = eligibility(dataset.municipalities, rules, grantees=grantees, centres=centres)
    return frame, centres, grantees


def _print_eligibility(frame, centres, grantees) -> None:
    from wirgeo.programme import eligibility_counts

    _print(f"KIV eligibility — {frame.attrs.get('rules_description', '')}")
    _print(f"  {'class':<21} {'municipalities':>14} {'population':>11} {'funded':>7}  label")
    for r in eligibility_counts(frame).itertuples():
        if r.eligibility == "total":
            _print("  " + "-" * 58)
        _print(f"  {r.eligibility:<21} {r.municipalities:>14,} {r.population:>11,} "
               f"{r.funded:>7}  {r.label}")
    if centres is not None:
        confirmed = int((centres["status"] == "confirmed").sum())
        at_address = int((centres["location_precision"] == "address").sum())
        _print(f"WIR-Vielfaltszentren: {len(centres)} ({confirmed} hosting office confirmed, "
               f"{len(centres) - confirmed} inferred; {len(centres) - at_address} placed at "
               f"the town centre, {at_address} at an exact address)")
    if grantees is not None:
        _print(f"KIV grantees documented: {len(grantees)} — incomplete, the ministry speaks "
               "of 24–27 funded municipalities (add rows to data/kiv_grantees.csv)")


def _cmd_eligibility(args) -> int:
    from wirgeo import exports

    if args.out:
        exports.check_output_path(args.out)
    dataset = _load(args)
    frame, centres, grantees = _programme_frame(args, dataset)
    _print_eligibility(frame, centres, grantees)
    if args.out:
        exports.write_table(frame, args.out, sheet_name="Gemeinden")
        _print(f"wrote {args.out}")
    return 0


def _cmd_summary(args) -> int:
    from wirgeo import exports
    from wirgeo.exports import write_summary

    exports.check_output_path(args.out, formats=(".xlsx",))
    dataset = _load(args)
    frame, centres, grantees = _programme_frame(args, dataset)
    _print_eligibility(frame, centres, grantees)
    path = write_summary(frame, args.out, centres=centres, grantees=grantees,
                         rules_path=args.rules)
    _print(f"wrote {path}")
    return 0


def _cmd_rules(args) -> int:
    from wirgeo.rules import load_rules, rule_sources, scenario_names

    rules = load_rules(args.rules, scenario=args.scenario)
    _print(rules.describe())
    _print(f"  file: {rules.source}")
    _print()
    for source in rule_sources(args.rules):
        flag = "  [ASSUMPTION]" if source.assumption else ""
        _print(f"{source.rule} = {source.value!r}{flag}")
        _print(f"    „{source.quote}“")
        _print(f"    {source.source_url}")
        if source.note:
            _print(f"    {source.note}")
    _print()
    _print("scenarios (--scenario NAME):")
    for name, description in scenario_names(args.rules).items():
        _print(f"  {name:<15} {description}")
    return 0


# -------------------------------------------------------------------------- map


# Layers `wirgeo map` can draw (it computes every table they need).
_MAP_LAYERS = ("eligibility", "population", "consortia", "unplaced", "grantees", "centres",
               "kreise", "regierungsbezirke")


def _map_layers(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """``--layers a,b c`` -> ("a", "b", "c"), checked against what the command draws."""
    if not values:
        return None
    layers = tuple(part.strip() for value in values for part in value.split(",")
                   if part.strip())
    for layer in layers:
        if layer not in _MAP_LAYERS:
            from wirgeo.errors import InputError

            raise InputError(None, f"unknown layer {layer!r}", column="--layers",
                             fix="choose from " + ", ".join(_MAP_LAYERS))
    return layers


def _cmd_map(args) -> int:
    from wirgeo import maps

    maps.check_map_path(args.out)
    options = maps.MapOptions(
        layers=_map_layers(args.layers), kreise=tuple(args.kreis or ()),
        tiles=None if args.no_tiles else "OpenStreetMap", title=args.title,
        tolerance_m=maps.DEFAULT_TOLERANCE_M if args.tolerance is None else args.tolerance)
    _rules_from_args(args)  # rule errors before the data is read
    dataset = _load(args)
    # the plan covers the whole state: a Verbund reaching into the drawn Kreise is drawn whole
    run = _planning(args, dataset)
    planning_map = maps.planning_map(dataset.municipalities, options=options,
                                     **run.map_tables())
    path = maps.save_map(planning_map, args.out)
    _print(run.plan.summary_line())
    _print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


# -------------------------------------------------------------------- consortia


def _add_rule_options(parser: argparse.ArgumentParser, *, kreis: bool = True) -> None:
    """Rules file, programme tables and per-run overrides of the Verbund plan."""
    _add_programme_options(parser)
    group = parser.add_argument_group("Verbund rules for this run (override the rules file)")
    if kreis:
        group.add_argument("--kreis", action="append", metavar="NAME_OR_AGS",
                           help="plan within this Kreis only (repeatable)")
    group.add_argument("--max-members", type=int, metavar="N",
                       help="largest Verbund (default 3)")
    group.add_argument("--min-members", type=int, metavar="N",
                       help="smallest Verbund (default 2)")
    group.add_argument("--min-population", type=int, metavar="N",
                       help="combined population a Verbund must reach (default 10000)")
    group.add_argument("--max-population", type=int, metavar="N",
                       help="combined population a Verbund may not exceed (default 50000)")
    group.add_argument("--same-kreis", action="store_true",
                       help="all members in one Kreis")
    group.add_argument("--allow-large-partner", action="store_true",
                       help="one partner may have 10,000 inhabitants or more")
    group.add_argument("--include-funded", action="store_true",
                       help="plan already funded municipalities again")
    group.add_argument("--mutual", action="store_true",
                       help="every pair of members must border (default: connected)")
    group.add_argument("--exclude", action="append", metavar="NAME_OR_AGS",
                       help="never place this municipality (repeatable)")
    group.add_argument("--lock", action="append", metavar="A,B[,C]",
                       help="fix this consortium in advance, members by name or AGS "
                            "separated by commas (repeatable)")
    group.add_argument("--buffer", type=float, default=1.0, metavar="M",
                       help="metres of tolerance when testing borders (default 1)")
    group.add_argument("--no-link-via-uninhabited", action="store_true",
                       help="uninhabited gemeindefreie Gebiete do not link the "
                            "municipalities around them")


def _rules_from_args(args):
    from wirgeo.rules import load_rules

    overrides = {}
    for option, rule in (("max_members", "max_members"), ("min_members", "min_members"),
                         ("min_population", "combined_min"),
                         ("max_population", "combined_max")):
        if getattr(args, option) is not None:
            overrides[rule] = getattr(args, option)
    if args.same_kreis:
        overrides["same_kreis"] = True
    if args.allow_large_partner:
        overrides["allow_large_partner"] = True
    if args.include_funded:
        overrides["exclude_funded"] = False
    if args.mutual:
        overrides["contiguity"] = "mutual"
    return load_rules(args.rules, args.scenario, **overrides)


def _with_named_members(rules, args, municipalities):
    """Resolve --exclude and --lock (names or AGS) into the rules' AGS tuples."""
    from wirgeo.programme import resolve_municipality

    changes = {}
    if args.exclude:
        changes["exclude"] = tuple(sorted(
            {resolve_municipality(x, municipalities, source="--exclude") for x in args.exclude}))
    if args.lock:
        changes["lock"] = tuple(
            tuple(resolve_municipality(x, municipalities, source="--lock")
                  for x in item.split(",") if x.strip())
            for item in args.lock)
    return rules.replace(**changes) if changes else rules


def _planning(args, dataset, kreise=None):
    """One planning run (eligibility + optimal plan) under the rules the options give."""
    from wirgeo.planning import build

    municipalities = dataset.municipalities
    rules = _with_named_members(_rules_from_args(args), args, municipalities)
    centres, grantees = _programme_tables(args, municipalities)
    return build(municipalities, rules, centres=centres, grantees=grantees, kreise=kreise,
                 time_limit=getattr(args, "time_limit", None), buffer=args.buffer,
                 link_via_uninhabited=not args.no_link_via_uninhabited)


def _cmd_consortia(args) -> int:
    from wirgeo import exports

    exports.check_output_path(args.out)
    if args.members:
        exports.check_output_path(args.members)
    if args.time_limit is not None and args.time_limit <= 0:
        from wirgeo.errors import InputError

        raise InputError("--time-limit", f"must be positive, got {args.time_limit}",
                         fix="give seconds, e.g. --time-limit 60")
    _rules_from_args(args)  # rule errors before the data is read
    result = _planning(args, _load(args), kreise=args.kreis).plan
    if Path(args.out).suffix.lower() == ".xlsx":
        exports.write_workbook(args.out, {
            "Verbünde": result.consortia.drop(columns="geometry"),
            "Gemeinden": result.members.drop(columns="geometry")})
    else:
        exports.write_table(result.consortia, args.out, sheet_name="Verbünde")
    _print(result.summary_line())
    _print(f"wrote {args.out}")
    if args.members:
        exports.write_table(result.members, args.members, sheet_name="Gemeinden")
        _print(f"wrote {args.members}")
    return 0


def _cmd_partners(args) -> int:
    from wirgeo import exports
    from wirgeo.consortia import partners_for
    from wirgeo.programme import resolve_municipality

    if args.out:
        exports.check_output_path(args.out)
    _rules_from_args(args)
    dataset = _load(args)
    resolve_municipality(args.municipality, dataset.municipalities)
    result = _planning(args, dataset, kreise=args.kreis).plan
    table = partners_for(args.municipality, dataset.municipalities, result.rules,
                         plan=result)
    name, ags = table.attrs["name"], table.attrs["ags"]
    _print(f"{name} ({ags}): {table.attrs['reason']}")
    if table.empty:
        _print("no feasible Verbund under these rules")
    else:
        _print(f"{len(table)} feasible Verbünde, best first (* = in the optimal plan):")
        for row in table.itertuples(index=False):
            mark = "*" if row.in_plan else " "
            kreis = "one Kreis" if row.same_kreis else row.kreis_names.replace(";", " / ")
            blocked = f"  [taken by {row.blocked_by}]" if row.blocked_by else ""
            _print(f"{mark}{row.rank:>4}  {row.partners.replace(';', ', ')}  "
                   f"({row.population:,} inhabitants, {kreis}, shared border "
                   f"{row.shared_border_km:.1f} km){blocked}")
    _print(result.summary_line())
    if args.out:
        exports.write_table(table, args.out, sheet_name="Partner")
        _print(f"wrote {args.out}")
    return 0


# ----------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``wirgeo`` (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="wirgeo",
        description="Planning tool for Hessen's WIR – Vielfalt und Teilhabe programme.")
    parser.add_argument("--version", action="version", version=f"wirgeo {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = commands.add_parser("data", help="official source data: check, download")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    check = data_commands.add_parser(
        "check", help="join boundaries and population and print the report")
    _add_source_options(check)
    check.add_argument("--out", metavar="FILE",
                       help="also write the joined table (.gpkg, .geojson, .csv, .xlsx, "
                            ".parquet)")
    check.set_defaults(func=_cmd_data_check)
    download = data_commands.add_parser(
        "download", help="fetch the current official releases into the source folder")
    download.add_argument("--source", metavar="DIR",
                          help="folder to download into (default: $WIRGEO_SOURCE, else "
                               "geo/sources/)")
    download.add_argument("--registry", metavar="FILE",
                          help="TOML file replacing the download addresses")
    download.add_argument("--force", action="store_true", help="download again")
    download.set_defaults(func=_cmd_data_download)

    eligible = commands.add_parser(
        "eligibility", help="KIV eligibility, funding and serving Vielfaltszentrum of every "
                            "municipality; prints the counts")
    _add_source_options(eligible)
    _add_programme_options(eligible)
    eligible.add_argument("--out", metavar="FILE",
                          help="write the table (.csv, .xlsx, .geojson, .gpkg, .parquet)")
    eligible.set_defaults(func=_cmd_eligibility)

    summary = commands.add_parser(
        "summary", help="Excel workbook: per-Kreis figures, municipalities, centres, "
                        "grantees, rules and sources")
    _add_source_options(summary)
    _add_programme_options(summary)
    summary.add_argument("--out", metavar="FILE", required=True,
                         help="the workbook to write (.xlsx)")
    summary.set_defaults(func=_cmd_summary)

    rules = commands.add_parser("rules", help="print the KIV rule set with its sources and "
                                              "the named scenarios")
    rules.add_argument("--rules", metavar="FILE",
                       help="KIV rules (default: data/kiv_rules.toml)")
    rules.add_argument("--scenario", metavar="NAME", help="show this scenario's values")
    rules.set_defaults(func=_cmd_rules)

    map_ = commands.add_parser(
        "map", help="write the planning map as one standalone HTML file")
    _add_source_options(map_)
    map_.add_argument("--out", required=True, metavar="FILE.html", help="output file")
    map_.add_argument("--kreis", nargs="+", action="extend", metavar="NAME_OR_AGS",
                      help="draw only these Kreise (name or 5-digit key); Verbünde are "
                           "planned for the whole state")
    map_.add_argument("--layers", nargs="+", action="extend", metavar="LAYER",
                      help="layers to draw, comma or space separated (default: all): "
                           + ", ".join(_MAP_LAYERS))
    map_.add_argument("--no-tiles", action="store_true",
                      help="no base map (the page then loads nothing but Leaflet)")
    map_.add_argument("--tolerance", type=float, metavar="METRES",
                      help="simplification of the drawn borders in metres (default: 200; "
                           "0 = full resolution; analyses always use full resolution)")
    map_.add_argument("--title", metavar="TEXT", help="title shown on the map")
    _add_rule_options(map_, kreis=False)
    map_.set_defaults(func=_cmd_map)

    demo = commands.add_parser("demo", help="the main job: check the data and write every "
                                            "result into out/")
    _add_source_options(demo)
    _add_rule_options(demo, kreis=False)
    demo.add_argument("--out-dir", default="out", metavar="DIR",
                      help="output folder (default: out/)")
    demo.set_defaults(func=_cmd_demo)

    consortia = commands.add_parser(
        "consortia", help="the provably best plan of KIV consortia (Verbünde)")
    _add_source_options(consortia)
    _add_rule_options(consortia)
    consortia.add_argument("--time-limit", type=float, metavar="S",
                           help="seconds for the solver; the best plan found is written "
                                "with its gap")
    consortia.add_argument("--out", required=True, metavar="FILE",
                           help="one row per consortium (.csv, .xlsx, .geojson, .gpkg, "
                                ".parquet); .xlsx also gets a sheet per municipality")
    consortia.add_argument("--members", metavar="FILE",
                           help="also write one row per municipality with its consortium "
                                "or the reason it has none")
    consortia.set_defaults(func=_cmd_consortia)

    partners = commands.add_parser(
        "partners", help="every feasible Verbund for one municipality, best first")
    partners.add_argument("municipality", metavar="NAME_OR_AGS")
    _add_source_options(partners)
    _add_rule_options(partners)
    partners.add_argument("--out", metavar="FILE", help="also write the table")
    partners.set_defaults(func=_cmd_partners, time_limit=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable = args.func
    try:
        return func(args)
    except WirgeoError as exc:
        print(f"wirgeo: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("wirgeo: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into `head` and closed early: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
