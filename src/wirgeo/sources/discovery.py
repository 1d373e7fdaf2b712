"""Finding the official files in the source folder.

The source folder is ``source`` if given, else ``WIRGEO_SOURCE``, else ``geo/sources/``
in the checkout. In it, the smallest VG250 GeoPackage covering the state and the newest
Destatis directory are used. When neither ``source`` nor ``WIRGEO_SOURCE`` is given and
``geo/sources/`` holds no boundaries, the embedded bundle shipped with wirgeo is used
(:data:`EMBEDDED_BUNDLES`, Hessen; see :mod:`wirgeo.sources.bundle`); a folder named
explicitly is never replaced by it. When nothing fits, the error lists the expected files
and how to get them (:data:`HOW_TO_GET_SOURCES`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from wirgeo.core import paths as _paths
from wirgeo.core.inputs import note_input
from wirgeo.errors import SourceNotFoundError
from wirgeo.sources.states import state_key, state_name

__all__ = ["HOW_TO_GET_SOURCES", "EMBEDDED_BUNDLES", "SourceFiles", "resolve_source_dir",
           "find_sources"]

HOW_TO_GET_SOURCES = (
    "Run `wirgeo data download` (needs internet) to fetch the current BKG VG250-EW "
    "GeoPackage and the Destatis municipality directory into the source folder, or copy "
    "them there by hand: BKG https://daten.gdz.bkg.bund.de/produkte/vg/ (product "
    "vg250-ew_ebenen_1231, GeoPackage) and Destatis "
    "https://www.destatis.de (Gemeindeverzeichnis -> 'Gemeinden in Deutschland nach "
    "Fläche, Bevölkerung und Postleitzahl', xlsx). Point wirgeo at another folder with "
    "--source DIR or the environment variable WIRGEO_SOURCE."
)

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

    @property
    def files(self) -> tuple[Path, ...]:
        """The files themselves: boundaries (or the bundle), and the population file."""
        return (self.boundaries,) + ((self.population,) if self.population else ())

    def describe(self) -> str:
        """One line per file."""
        if self.embedded:
            pop = self.population if self.population else "(the bundle's own figures)"
            return f"embedded bundle: {self.boundaries}\npopulation: {pop}"
        pop = self.population if self.population else "(population from the EWZ field)"
        return f"boundaries: {self.boundaries}\npopulation: {pop}"


def resolve_source_dir(source: str | Path | None = None) -> Path:
    """The folder holding the official files.

    ``source`` if given, else the environment variable ``WIRGEO_SOURCE``, else
    ``geo/sources/`` in the checkout.
    """
    if source is not None:
        return Path(source).expanduser()
    env = os.environ.get("WIRGEO_SOURCE")
    if env:
        return Path(env).expanduser()
    return _paths.default_source_dir()


def _expected_files_text(folder: Path) -> str:
    return (
        f"wirgeo expects in {folder}:\n"
        "  - a BKG VG250 or VG250-EW GeoPackage (*.gpkg, layers vg250_gem, vg250_krs, "
        "vg250_rbz, vg250_lan), e.g. bkg/DE_VG250.gpkg or bkg/vg250_2016-01-01_hessen.gpkg\n"
        "  - a Destatis municipality directory (*.xlsx, sheet Onlineprodukt_Gemeinden<date>), "
        "e.g. destatis/31122023_Auszug_GV.xlsx"
    )


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
            folder, "source folder not found\n" + _expected_files_text(folder),
            fix=HOW_TO_GET_SOURCES)
    found = []
    for path in sorted(folder.rglob("*.gpkg")):
        states = _gpkg_states(path)
        if states and wanted <= states:
            found.append((path.stat().st_size, str(path), path))
    if not found:
        key = state_key(wanted)
        raise SourceNotFoundError(
            folder,
            f"no VG250 GeoPackage covering state {key} ({state_name(key)}) found\n"
            + _expected_files_text(folder),
            fix=HOW_TO_GET_SOURCES)
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


def find_sources(
    source: str | Path | None = None,
    state: str | tuple[str, ...] = "06",
    *,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
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

    Raises
    ------
    SourceNotFoundError
        Listing exactly which files are expected and how to get them.
    """
    folder = resolve_source_dir(source)
    if boundaries is not None:
        bpath = Path(boundaries)
        if not bpath.is_file():
            raise SourceNotFoundError(bpath, "boundary file not found",
                                      fix="give the path of a VG250 GeoPackage")
    else:
        found = _boundaries_or_bundle(folder, state, explicit=source is not None or bool(
            os.environ.get("WIRGEO_SOURCE")), embedded=embedded)
        if found.embedded:
            return _noted(SourceFiles(found.boundaries, _given_population(population), True))
        bpath = found.boundaries
    if population is not None:
        ppath: Path | None = _given_population(population)
    else:
        ppath = _newest_directory(folder)
        if ppath is None and not _has_ewz(bpath):
            raise SourceNotFoundError(
                folder, "no population table found (and the boundaries carry no EWZ field)\n"
                + _expected_files_text(folder), fix=HOW_TO_GET_SOURCES)
    return _noted(SourceFiles(boundaries=bpath, population=ppath))


def _noted(files: SourceFiles) -> SourceFiles:
    """The files found, noted as inputs (no output of the run may overwrite them)."""
    for path in files.files:
        note_input(path)
    return files


def _given_population(population: str | Path | None) -> Path | None:
    if population is None:
        return None
    given = Path(population)
    if not given.is_file():
        raise SourceNotFoundError(given, "population file not found",
                                  fix="give the path of a Destatis xlsx or a CSV with "
                                      "columns ags, population, date")
    return given


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
            note = ("\n(no embedded dataset either: wirgeo ships one for Hessen (06) only"
                    + (", and it is missing from this installation)" if bundle else ")"))
            raise SourceNotFoundError(exc.source, exc.problem + note, fix=exc.fix) from None
        return SourceFiles(bundle, None, True)
