"""Finding the official files in the source folder.

The source folder is ``source`` if given, else ``WIRGEO_SOURCE``, else ``geo/sources/``
in the checkout. In it, the smallest VG250 GeoPackage covering the state and the newest
Destatis directory are used, and the Zensus 2022 table (``zensus2022/…csv``) when there is
one. When neither ``source`` nor ``WIRGEO_SOURCE`` is given and
``geo/sources/`` holds no boundaries, the embedded bundle shipped with wirgeo is used
(:data:`EMBEDDED_BUNDLES`, Hessen; see :mod:`wirgeo.sources.bundle`); a folder named
explicitly is never replaced by it. When nothing fits, the error lists the expected files
and how to get them (:data:`HOW_TO_GET_SOURCES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import N_, _, translate
from wirgeo.core.inputs import note_input
from wirgeo.errors import ArgumentError, SourceNotFoundError
from wirgeo.settings import settings
from wirgeo.sources.states import state_key, state_name

__all__ = ["HOW_TO_GET_SOURCES", "EMBEDDED_BUNDLES", "SourceFiles", "resolve_source_dir",
           "find_sources", "find_census", "given_basis"]

#: How to get the official files: the fix of every error about a missing one (marked for
#: the catalogs; say it with :func:`wirgeo.core.i18n.translate`).
HOW_TO_GET_SOURCES = N_(
    "Run `wirgeo data download` (needs internet) to fetch the current BKG VG250-EW "
    "GeoPackage and the Destatis municipality directory into the source folder, or copy "
    "them there by hand: BKG https://daten.gdz.bkg.bund.de/produkte/vg/ (product "
    "vg250-ew_ebenen_1231, GeoPackage) and Destatis "
    "https://www.destatis.de (Gemeindeverzeichnis -> 'Gemeinden in Deutschland nach "
    "Fläche, Bevölkerung und Postleitzahl', xlsx). Point wirgeo at another folder with "
    "--source DIR or the environment variable WIRGEO_SOURCE.")

#: The datasets shipped inside the package, by state (built by ``wirgeo data bundle``).
EMBEDDED_BUNDLES = {"06": Path(__file__).resolve().parent / "data" / "hessen_2023-12-31.parquet"}


@dataclass(frozen=True)
class SourceFiles:
    """The official files one load uses.

    ``embedded`` is true when ``boundaries`` is the embedded bundle (no source folder);
    ``population`` is then None for the bundle's own figures, or the file given.
    """

    boundaries: Path
    population: Path | None
    embedded: bool = False
    census: Path | None = None

    @property
    def census_embedded(self) -> bool:
        """Whether the Zensus 2022 table comes from the embedded bundle."""
        return self.census is not None and self.census in EMBEDDED_BUNDLES.values()

    @property
    def files(self) -> tuple[Path, ...]:
        """The files themselves: boundaries (or the bundle), population, Zensus table."""
        return (self.boundaries,) + tuple(p for p in (self.population, self.census) if p)

    def describe(self) -> str:
        """One line per file."""
        census = f"\nZensus 2022: {self.census}" if self.census else ""
        if self.embedded:
            pop = self.population if self.population else _("(the bundle's own figures)")
            return _("embedded bundle: {boundaries}\npopulation: {population}").format(
                boundaries=self.boundaries, population=pop) + census
        pop = self.population if self.population else _("(population from the EWZ field)")
        return _("boundaries: {boundaries}\npopulation: {population}").format(
            boundaries=self.boundaries, population=pop) + census


def resolve_source_dir(source: str | Path | None = None) -> Path:
    """The folder holding the official files.

    ``source`` if given, else the environment variable ``WIRGEO_SOURCE``, else
    ``geo/sources/`` in the checkout.
    """
    if source is not None:
        return Path(source).expanduser()
    if settings.source:
        return Path(settings.source).expanduser()
    return _paths.default_source_dir()


def _expected_files_text(folder: Path) -> str:
    return _(
        "wirgeo expects in {folder}:\n"
        "  - a BKG VG250 or VG250-EW GeoPackage (*.gpkg, layers vg250_gem, vg250_krs, "
        "vg250_rbz, vg250_lan), e.g. bkg/DE_VG250.gpkg or bkg/vg250_2016-01-01_hessen.gpkg\n"
        "  - a Destatis municipality directory (*.xlsx, sheet Onlineprodukt_Gemeinden<date>), "
        "e.g. destatis/31122023_Auszug_GV.xlsx"
    ).format(folder=folder)


def _gpkg_states(path: Path) -> set[str] | None:
    """States a VG250 GeoPackage covers (from its ``vg250_lan`` layer), None if not VG250."""
    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
    except Exception:  # not a readable GeoPackage: not a candidate
        return None
    if "vg250_lan" not in layers or "vg250_gem" not in layers:
        return None
    try:
        lan = pyogrio.read_dataframe(path, layer="vg250_lan", columns=["SN_L"],
                                     read_geometry=False)
    except Exception:
        return None
    return {str(v).zfill(2) for v in lan["SN_L"]}


def _has_ewz(path: Path) -> bool:
    """Whether the municipalities of a VG250 file carry the population field ``EWZ``."""
    try:
        info = pyogrio.read_info(path, layer="vg250_gem")
    except Exception:
        return False
    return "EWZ" in list(info["fields"])


def _find_boundaries(folder: Path, state: str | tuple[str, ...]) -> Path:
    """The smallest VG250 GeoPackage under ``folder`` covering ``state`` (every one given)."""
    wanted = {state} if isinstance(state, str) else set(state)
    if not folder.is_dir():
        raise SourceNotFoundError(
            folder, _("source folder not found") + "\n" + _expected_files_text(folder),
            fix=translate(HOW_TO_GET_SOURCES))
    found = []
    for path in sorted(folder.rglob("*.gpkg")):
        states = _gpkg_states(path)
        if states and wanted <= states:
            found.append((path.stat().st_size, str(path), path))
    if not found:
        key = state_key(wanted)
        raise SourceNotFoundError(
            folder,
            _("no VG250 GeoPackage covering state {state} ({state_name}) found").format(
                state=key, state_name=state_name(key))
            + "\n" + _expected_files_text(folder),
            fix=translate(HOW_TO_GET_SOURCES))
    return min(found)[2]


def _directory_date(path: Path) -> tuple[tuple[str, str, str], str]:
    """Sort key of a Destatis directory: the date in ``DDMMYYYY_Auszug_GV.xlsx``, then name."""
    m = re.match(r"(\d{2})(\d{2})(\d{4})", path.name)
    return (m.group(3), m.group(2), m.group(1)) if m else ("0", "0", "0"), path.name


def _newest_directory(folder: Path) -> Path | None:
    """The Destatis xlsx with the latest date in its name (Excel lock files ``~$`` skipped)."""
    candidates = sorted(folder.rglob("*.xlsx")) if folder.is_dir() else []
    candidates = [p for p in candidates if not p.name.startswith("~$")]
    return max(candidates, key=_directory_date) if candidates else None


def _census_rows(path: Path, state: str) -> bool:
    """Whether a CSV has the Zensus 2022 header and rows of ``state``."""
    from wirgeo.sources.zensus import is_zensus_header

    try:
        with path.open(encoding="utf-8-sig", errors="replace") as file:
            if not is_zensus_header(file.readline()):
                return False
            return any(line.lstrip('"').startswith(state) for line in file)
    except OSError:
        return False


def find_census(folder: Path, state: str) -> Path | None:
    """The smallest Zensus 2022 table with rows of ``state`` under ``folder``, or None.

    Any ``*.csv`` with the table's header counts (``zensus2022/census2022_…csv``).
    """
    if not folder.is_dir():
        return None
    found = [(p.stat().st_size, str(p), p) for p in sorted(folder.rglob("*.csv"))
             if _census_rows(p, state)]
    return min(found)[2] if found else None


def _census(folder: Path, state: str, census: str | Path | None) -> Path | None:
    """The census table given, else the folder's, else the embedded bundle's (Hessen)."""
    if census is not None:
        given = Path(census)
        if not given.is_file():
            raise SourceNotFoundError(given, _("Zensus 2022 table not found"),
                                      fix=_("give the path of the Zensus 2022 CSV"))
        return given
    found = find_census(folder, state)
    if found is not None:
        return found
    # the Zensus 2022 is one census, not a yearly release: the embedded copy of the same
    # published table serves a folder without it (the report says which was read)
    bundle = EMBEDDED_BUNDLES.get(state)
    return bundle if bundle is not None and bundle.is_file() else None


def find_sources(
    source: str | Path | None = None,
    state: str | tuple[str, ...] = "06",
    *,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
    census: str | Path | None = None,
    embedded: bool = True,
) -> SourceFiles:
    """Locate the boundary GeoPackage and population table for ``state``.

    Among all VG250 GeoPackages in the source folder (searched recursively) the smallest
    one whose ``vg250_lan`` layer covers the state is used, so a Hessen extract is preferred
    to the whole of Germany. Among Destatis directories the one with the latest reference
    date (from the file name ``DDMMYYYY_Auszug_GV.xlsx``) wins. Several states (a tuple of
    keys) need one GeoPackage covering them all. Explicit ``boundaries`` or
    ``population`` paths bypass the search. Without ``source`` and ``WIRGEO_SOURCE``, and
    with no boundaries in ``geo/sources/``, the embedded bundle of the state is used
    (``embedded=False`` turns that off, e.g. to build the bundle from official files).
    The Zensus 2022 table (``census``) is ``census`` if given, else the smallest CSV with
    its header and rows of the state in the folder, else the embedded bundle's copy.

    Raises
    ------
    SourceNotFoundError
        Listing exactly which files are expected and how to get them.
    """
    folder = resolve_source_dir(source)
    if boundaries is not None:
        bpath = Path(boundaries)
        if not bpath.is_file():
            raise SourceNotFoundError(bpath, _("boundary file not found"),
                                      fix=_("give the path of a VG250 GeoPackage"))
    else:
        found = _boundaries_or_bundle(folder, state, explicit=source is not None or bool(
            settings.source), embedded=embedded)
        if found.embedded:
            return _noted(SourceFiles(found.boundaries, _given_population(population), True,
                                      _census(folder, state, census)
                                      if isinstance(state, str) else None))
        bpath = found.boundaries
    if population is not None:
        ppath: Path | None = _given_population(population)
    else:
        ppath = _newest_directory(folder)
        if ppath is None and not _has_ewz(bpath):
            raise SourceNotFoundError(
                folder, _("no population table found (and the boundaries carry no EWZ field)")
                + "\n" + _expected_files_text(folder), fix=translate(HOW_TO_GET_SOURCES))
    if not isinstance(state, str):  # several states: each load finds its own census rows
        found_census = None
    elif embedded:
        found_census = _census(folder, state, census)
    else:  # building the bundle: only the official file of the folder
        found_census = Path(census) if census is not None else find_census(folder, state)
    return _noted(SourceFiles(boundaries=bpath, population=ppath, census=found_census))


def _noted(files: SourceFiles) -> SourceFiles:
    """The files found, noted as inputs (no output of the run may overwrite them)."""
    for path in files.files:
        note_input(path)
    return files


def _given_population(population: str | Path | None, *, basis: bool = False
                      ) -> Path | None:
    """A population file named by the caller (``basis``: the full release of a partial one)."""
    if population is None:
        return None
    given = Path(population)
    if not given.is_file():
        raise SourceNotFoundError(given, _("basis release not found") if basis else
                                  _("population file not found"),
                                  fix=_("give the path of a Destatis xlsx or a CSV with "
                                        "columns ags, population, date"))
    return given


def given_basis(basis: str | Path | None, population: str | Path | None) -> Path | None:
    """The full release a population file of only the changed rows names as its basis.

    Raises
    ------
    ArgumentError
        A basis without a population file (there is nothing it is the basis of).
    SourceNotFoundError
        The basis file does not exist.
    """
    if basis is not None and population is None:
        raise ArgumentError("population_basis", _("a basis needs the release that changes it"),
                            fix=_("give population= (the file with the changed rows)"))
    return _given_population(basis, basis=True)


def _boundaries_or_bundle(folder: Path, state: str | tuple[str, ...], *, explicit: bool,
                          embedded: bool) -> SourceFiles:
    """The boundaries in ``folder``; else the embedded bundle when no folder was named."""
    try:
        return SourceFiles(_find_boundaries(folder, state), None)
    except SourceNotFoundError as exc:
        if explicit or not embedded:
            raise
        bundle = EMBEDDED_BUNDLES.get(state) if isinstance(state, str) else None
        if bundle is None or not bundle.is_file():
            note = "\n" + (_("(no embedded dataset either: wirgeo ships one for Hessen (06) "
                              "only, and it is missing from this installation)") if bundle
                            else _("(no embedded dataset either: wirgeo ships one for Hessen "
                                   "(06) only)"))
            raise SourceNotFoundError(exc.source, exc.problem + note, fix=exc.fix) from None
        return SourceFiles(bundle, None, True)
