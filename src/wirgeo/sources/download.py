"""Fetch the current official releases into the source folder (``wirgeo data download``).

Two releases are fetched with pooch, which caches them and checks their SHA-256:

* BKG VG250-EW, Ebenen, as of 31.12. (GeoPackage, EPSG:25832), the folder ``aktuell``
  of BKG's open-data service. The zip is unpacked to ``bkg/<release>/DE_VG250.gpkg`` with
  BKG's ``aktualitaet.txt`` beside it, from which the boundary date is read.
* The Destatis municipality directory of the latest year published
  (``DDMMYYYY_Auszug_GV.xlsx``); years are tried from the newest back.

Where a checksum is known in advance it is checked; otherwise the checksum of the first
download is recorded in ``MANIFEST.json`` in the source folder and every later run checks
against it, so a file that changes on disk is noticed. The addresses can be replaced by a
TOML registry (``--registry FILE``) with the same keys as :data:`DEFAULT_RELEASES`; the tests
use that to download from a local HTTP server.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from wirgeo.core.files import atomic_path, write_text
from wirgeo.core.i18n import _
from wirgeo.errors import DownloadError, InputError
from wirgeo.sources.curated import read_json
from wirgeo.sources.discovery import resolve_source_dir
from wirgeo.sources.keys import file_sha256

__all__ = ["Release", "DEFAULT_RELEASES", "read_registry", "download_sources"]


@dataclass(frozen=True)
class Release:
    """One official file to fetch.

    ``url`` may contain ``{ddmmyyyy}``: then the 31 December of each year from last year
    back to ``first_year`` is tried and the newest that exists is taken.
    ``known_sha256`` maps a resolved file name to its expected checksum.
    """

    key: str
    description: str
    url: str
    folder: str
    first_year: int = 2023
    known_sha256: dict[str, str] = field(default_factory=dict)
    page: str = ""


DEFAULT_RELEASES = (
    Release(
        key="boundaries",
        description="BKG VG250-EW Ebenen, Stand 31.12., GeoPackage (EPSG:25832)",
        url="https://daten.gdz.bkg.bund.de/produkte/vg/vg250-ew_ebenen_1231/aktuell/"
            "vg250-ew_12-31.utm32s.gpkg.ebenen.zip",
        folder="bkg",
        page="https://gdz.bkg.bund.de/index.php/default/digitale-geodaten/verwaltungsgebiete/"
             "verwaltungsgebiete-1-250-000-mit-einwohnerzahlen-stand-31-12-vg250-ew-31-12.html",
    ),
    Release(
        key="population",
        description="Destatis Gemeindeverzeichnis: Gemeinden in Deutschland nach Fläche, "
                    "Bevölkerung und Postleitzahl (xlsx)",
        url="https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/"
            "Gemeindeverzeichnis/Administrativ/Archiv/GVAuszugJ/{ddmmyyyy}_Auszug_GV.xlsx"
            "?__blob=publicationFile",
        folder="destatis",
        first_year=2023,
        known_sha256={"31122023_Auszug_GV.xlsx":
                      "0ced8a6431307efa64c1576a072781dee24382acfc5abf26f16dbabbe90f2be8"},
        page="https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/"
             "Gemeindeverzeichnis/_inhalt.html",
    ),
)

_REGISTRY_KEYS = {"url", "folder", "first_year", "known_sha256", "description", "page"}


def read_registry(path: str | Path) -> tuple[Release, ...]:
    """Read a TOML registry: one table per release key (``boundaries``, ``population``)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, _("cannot read the registry ({exc})").format(exc=exc),
                         fix=_("write a TOML file with [boundaries] and [population] tables "
                               "holding url and folder")) from exc
    defaults = {r.key: r for r in DEFAULT_RELEASES}
    releases = []
    for key, table in data.items():
        if key not in defaults:
            raise InputError(path, _("unknown release {key!r}").format(key=key), column=key,
                             fix=_("use the tables [boundaries] and [population]"))
        unknown = set(table) - _REGISTRY_KEYS
        if unknown:
            raise InputError(path, _("unknown key {name!r} in [{key}]").format(
                                       name=sorted(unknown)[0], key=key),
                             column=sorted(unknown)[0],
                             fix=_("use only {keys}").format(
                                     keys=", ".join(sorted(_REGISTRY_KEYS))))
        releases.append(replace(defaults[key], **table))
    return tuple(releases)


def _candidate_urls(release: Release, today: dt.date) -> list[tuple[str, str]]:
    """Addresses to try, newest first, each with the file name it resolves to."""
    if "{ddmmyyyy}" not in release.url:
        name = release.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return [(release.url, name)]
    out = []
    for year in range(today.year - 1, release.first_year - 1, -1):
        stamp = f"3112{year}"
        url = release.url.format(ddmmyyyy=stamp)
        out.append((url, url.split("?")[0].rsplit("/", 1)[-1]))
    return out


def _exists(url: str) -> bool:
    import requests

    try:
        response = requests.head(url, allow_redirects=True, timeout=30)
        if response.status_code == 405:  # some servers refuse HEAD
            response = requests.get(url, stream=True, timeout=30)
            response.close()
    except requests.RequestException:
        return False
    return response.status_code == 200


def _choose_url(release: Release, today: dt.date, dest: Path) -> tuple[str, str]:
    """The address to fetch: the only one, or the newest dated one that answers."""
    candidates = _candidate_urls(release, today)
    if len(candidates) == 1:
        return candidates[0]
    chosen = next(((u, n) for u, n in candidates if _exists(u)), None)
    if chosen is None:
        raise DownloadError(
            _("{release}: none of these addresses answered: {addresses}. Download the file "
              "by hand from {page} into {folder}.").format(
                release=release.description, addresses=", ".join(u for u, _n in candidates),
                page=release.page, folder=dest / release.folder))
    return chosen


def _retrieve(release: Release, url: str, name: str, known: str | None, dest: Path, *,
              force: bool) -> str:
    """Fetch ``url`` into the pooch cache, checked against ``known``; ``cached``/``downloaded``."""
    import pooch
    import requests

    cache = dest / ".downloads"
    target = cache / name
    status = "cached" if target.is_file() and not force else "downloaded"
    if force and target.exists():
        target.unlink()
    try:
        pooch.retrieve(url, known_hash=f"sha256:{known}" if known else None, fname=name,
                       path=cache, progressbar=False)
    except ValueError as exc:  # pooch: checksum mismatch (file is removed by pooch)
        raise DownloadError(_("{url}: {exc}. The file was not kept. If the publisher "
                              "replaced the release, delete {manifest} and run `wirgeo data "
                              "download --force`.").format(
                                url=url, exc=exc, manifest=dest / "MANIFEST.json")) from exc
    except requests.RequestException as exc:
        raise DownloadError(_("{url}: download failed ({exc}). Check the connection or "
                              "download by hand from {page} into {folder}.").format(
                                url=url, exc=exc, page=release.page,
                                folder=dest / release.folder)) from exc
    return status


def _install(archive: Path, archive_sha: str, name: str, folder: Path) -> Path:
    """Put a fetched file into its folder: a zip is unpacked, any other file copied."""
    if name.endswith(".zip"):
        return _unpack_gpkg(archive, folder / name.removesuffix(".zip"))
    file = folder / name
    if not file.is_file() or file_sha256(file) != archive_sha:
        with atomic_path(file) as tmp:
            shutil.copyfile(archive, tmp)
    return file


def download_sources(
    source: str | Path | None = None,
    releases: tuple[Release, ...] = DEFAULT_RELEASES,
    *,
    force: bool = False,
    today: dt.date | None = None,
) -> list[dict]:
    """Download the official releases into the source folder.

    Returns one manifest entry per release (``key``, ``url``, ``file``, ``sha256``,
    ``size``, ``status`` = ``downloaded`` or ``cached``).

    Raises
    ------
    DownloadError
        When no candidate address answers, or a checksum does not match.
    """
    import pooch

    # wirgeo prints its own line per file; pooch's INFO chatter would only repeat it
    pooch.get_logger().setLevel("WARNING")
    dest = resolve_source_dir(source)
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path = dest / "MANIFEST.json"
    manifest = read_json(manifest_path)
    today = today or dt.date.today()
    results = []
    for release in releases:
        url, name = _choose_url(release, today, dest)
        recorded = manifest.get(release.key, {})
        # a checksum recorded for the same address guards against a file changed later
        known = release.known_sha256.get(name) or (
            recorded.get("archive_sha256") if recorded.get("url") == url else None)
        status = _retrieve(release, url, name, known, dest, force=force)
        archive = dest / ".downloads" / name
        archive_sha = file_sha256(archive)
        file = _install(archive, archive_sha, name, dest / release.folder)
        entry = {"key": release.key, "url": url, "file": str(file.relative_to(dest)),
                 "sha256": file_sha256(file), "archive_sha256": archive_sha,
                 "size": file.stat().st_size, "status": status,
                 "description": release.description}
        manifest[release.key] = entry
        results.append(entry)
    write_text(manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False))
    return results


def _unpack_gpkg(archive: Path, folder: Path) -> Path:
    """Unpack the GeoPackage and BKG's ``aktualitaet.txt`` from a VG250 zip."""
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            gpkgs = sorted(n for n in names if n.lower().endswith(".gpkg"))
            if not gpkgs:
                raise DownloadError(_("{archive}: the archive holds no GeoPackage ({count} "
                                      "entries)").format(archive=archive, count=len(names)))
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / Path(gpkgs[0]).name
            with atomic_path(target) as tmp, zf.open(gpkgs[0]) as src, \
                    open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst)
            for n in names:
                if Path(n).name.lower() == "aktualitaet.txt":
                    write_text(folder / "aktualitaet.txt",
                               zf.read(n).decode("utf-8", errors="replace"))
                    break
    except zipfile.BadZipFile as exc:
        raise DownloadError(_("{archive}: not a zip archive ({exc})").format(
                                archive=archive, exc=exc)) from exc
    return target
