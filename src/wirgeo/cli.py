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
    from wirgeo import _output

    if args.out:
        _output.check_output_path(args.out)
    dataset = _load(args)
    _print(str(dataset.report))
    if args.out:
        _output.write_table(dataset.municipalities, args.out, sheet_name="Gemeinden")
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
    from wirgeo import _output

    out = Path(args.out_dir)
    dataset = _load(args)
    _print(str(dataset.report))
    path = _output.write_table(dataset.municipalities, out / "municipalities.gpkg")
    _print(f"wrote {path}")
    _write_demo_consortia(dataset, out)
    return 0


# -------------------------------------------------------------------- consortia


def _funded_ags() -> set[str]:
    """AGS already funded, from the programme tables when that module is present."""
    try:
        from wirgeo.programme import funded_ags
    except ImportError:  # the programme module is optional for the consortium engine
        return set()
    return set(funded_ags())


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("KIV rules (default: data/kiv_rules.toml)")
    group.add_argument("--rules", metavar="FILE", help="rules file instead of the default")
    group.add_argument("--scenario", metavar="NAME",
                       help="a [scenarios.NAME] table of the rules file")
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
    from wirgeo.consortia import resolve_municipality

    changes = {}
    if args.exclude:
        changes["exclude"] = tuple(sorted({resolve_municipality(x, municipalities, "--exclude")
                                           for x in args.exclude}))
    if args.lock:
        changes["lock"] = tuple(
            tuple(resolve_municipality(x, municipalities, "--lock")
                  for x in item.split(",") if x.strip())
            for item in args.lock)
    return rules.replace(**changes) if changes else rules


def _plan_from_args(args, dataset):
    from wirgeo.consortia import plan

    municipalities = dataset.municipalities
    rules = _with_named_members(_rules_from_args(args), args, municipalities)
    return plan(municipalities, rules, funded=_funded_ags(), kreise=args.kreis,
                time_limit=getattr(args, "time_limit", None), buffer=args.buffer,
                link_via_uninhabited=not args.no_link_via_uninhabited)


def _cmd_consortia(args) -> int:
    from wirgeo import _output

    _output.check_output_path(args.out)
    if args.members:
        _output.check_output_path(args.members)
    if args.time_limit is not None and args.time_limit <= 0:
        from wirgeo.errors import InputError

        raise InputError("--time-limit", f"must be positive, got {args.time_limit}",
                         fix="give seconds, e.g. --time-limit 60")
    _rules_from_args(args)  # rule errors before the data is read
    result = _plan_from_args(args, _load(args))
    if Path(args.out).suffix.lower() == ".xlsx":
        _output.write_workbook(args.out, {
            "Verbünde": result.consortia.drop(columns="geometry"),
            "Gemeinden": result.members.drop(columns="geometry")})
    else:
        _output.write_table(result.consortia, args.out, sheet_name="Verbünde")
    _print(result.summary_line())
    _print(f"wrote {args.out}")
    if args.members:
        _output.write_table(result.members, args.members, sheet_name="Gemeinden")
        _print(f"wrote {args.members}")
    return 0


def _cmd_partners(args) -> int:
    from wirgeo import _output
    from wirgeo.consortia import partners_for, resolve_municipality

    if args.out:
        _output.check_output_path(args.out)
    _rules_from_args(args)
    dataset = _load(args)
    resolve_municipality(args.municipality, dataset.municipalities)
    result = _plan_from_args(args, dataset)
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
        _output.write_table(table, args.out, sheet_name="Partner")
        _print(f"wrote {args.out}")
    return 0


def _write_demo_consortia(dataset, out: Path) -> None:
    """Write the demo's consortium files: the optimal plan, and everyone left out."""
    from wirgeo import _output
    from wirgeo.consortia import plan
    from wirgeo.rules import load_rules

    result = plan(dataset.municipalities, load_rules(), funded=_funded_ags())
    _print(result.summary_line())
    path = _output.write_table(result.consortia, out / "consortia.csv")
    _print(f"wrote {path}")
    unplaced = result.members[result.members["small"] & result.members["consortium_id"].isna()]
    columns = ["ags", "name", "kreis_ags", "kreis_name", "population", "reason_code", "reason"]
    path = _output.write_table(unplaced[columns], out / "unplaced.csv")
    _print(f"wrote {path}")


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

    demo = commands.add_parser("demo", help="the main job: check the data and write every "
                                            "result into out/")
    _add_source_options(demo)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
