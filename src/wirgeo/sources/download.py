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

A download is bounded and checked before anything is installed (issue 19):

* an overall deadline per file (``max_seconds``), not only a time limit per read, so a
  server that trickles bytes cannot hold the command forever; a size limit
  (``max_bytes``) for what is fetched and for what an archive unpacks to, and a limit on
  the compression ratio of an archive member (:data:`MAX_RATIO`: a zip bomb is refused
  before it is unpacked);
* an archive must hold exactly one GeoPackage, as a regular file: symbolic links and other
  special members are refused, two candidates are refused naming both;
* the content is checked: a GeoPackage opens and has the VG250 layers with polygon
  geometries (:func:`wirgeo.sources.vg250.check_boundary_file`), a workbook opens and has
  the Destatis sheet (:func:`wirgeo.sources.destatis.check_population_workbook`); an HTML
  error page is said as such;
* a failed fetch is never cached, and a cached file that fails the checks is named with
  the fix ``wirgeo data download --force``;
* installing is atomic: the new file is checked under a temporary name beside the old one
  and only then renamed over it, so a bad download leaves the previous good release.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import stat
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from wirgeo.core.files import atomic_path, write_text
from wirgeo.core.i18n import _
from wirgeo.core.text import is_http_url
from wirgeo.errors import DownloadError, InputError
from wirgeo.sources._text import read_toml
from wirgeo.sources.curated import read_json
from wirgeo.sources.destatis import check_population_workbook
from wirgeo.sources.discovery import resolve_source_dir
from wirgeo.sources.keys import file_sha256
from wirgeo.sources.vg250 import check_boundary_file

__all__ = ["Release", "DEFAULT_RELEASES", "MAX_RATIO", "read_registry", "download_sources"]

#: Largest compression ratio accepted for an archive member: GeoPackages compress about
#: 3 to 10 times, a zip bomb a thousand times and more.
MAX_RATIO = 100
#: Longest wait for the next bytes from a server, in seconds (a stalled connection).
READ_TIMEOUT_S = 60.0
_MB = 1024 * 1024


@dataclass(frozen=True)
class Release:
    """One official file to fetch.

    ``url`` may contain ``{ddmmyyyy}``: then the 31 December of each year from last year
    back to ``first_year`` is tried and the newest that exists is taken.
    ``known_sha256`` maps a resolved file name to its expected checksum. ``max_bytes``
    bounds what is fetched and what an archive unpacks to, ``max_seconds`` the whole
    fetch of one file.
    """

    key: str
    description: str
    url: str
    folder: str
    first_year: int = 2023
    known_sha256: dict[str, str] = field(default_factory=dict)
    page: str = ""
    max_bytes: int = 2048 * _MB
    max_seconds: float = 3600.0


DEFAULT_RELEASES = (
    Release(
        key="boundaries",
        description="BKG VG250-EW Ebenen, Stand 31.12., GeoPackage (EPSG:25832)",
        url="https://daten.gdz.bkg.bund.de/produkte/vg/vg250-ew_ebenen_1231/aktuell/"
            "vg250-ew_12-31.utm32s.gpkg.ebenen.zip",
        folder="bkg",
        page="https://gdz.bkg.bund.de/index.php/default/digitale-geodaten/verwaltungsgebiete/"
             "verwaltungsgebiete-1-250-000-mit-einwohnerzahlen-stand-31-12-vg250-ew-31-12.html",
        # the zip is about 70 MB and unpacks to about 200 MB
        max_bytes=2048 * _MB, max_seconds=3600.0,
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
        # about 1.6 MB
        max_bytes=100 * _MB, max_seconds=600.0,
    ),
)

_REGISTRY_KEYS = {"url", "folder", "first_year", "known_sha256", "description", "page",
                  "max_bytes", "max_seconds"}
_FIX_REGISTRY = "write a TOML file with [boundaries] and [population] tables holding url " \
                "and folder"


# ------------------------------------------------------------------ registry


def _registry_value(path: Path, key: str, name: str, value: Any) -> Any:
    """One value of a registry table, checked against the type :class:`Release` needs."""
    problem = None
    if name in ("url", "folder", "description", "page") and not isinstance(value, str):
        problem = _("{where} must be text in quotes, not {value!r}")
    elif name == "first_year" and (isinstance(value, bool) or not isinstance(value, int)
                                   or not 1990 <= value <= 2100):
        problem = _("{where} must be a year written as a number (e.g. 2023), not {value!r}")
    elif name == "max_bytes" and (isinstance(value, bool) or not isinstance(value, int)
                                  or value <= 0):
        problem = _("{where} must be a positive whole number of bytes, not {value!r}")
    elif name == "max_seconds" and (isinstance(value, bool) or not isinstance(
            value, (int, float)) or not 0 < value <= 86_400):
        problem = _("{where} must be a number of seconds between 0 and 86400, not {value!r}")
    elif name == "known_sha256" and not (isinstance(value, dict) and all(
            isinstance(v, str) and re.fullmatch(r"[0-9a-fA-F]{64}", v)
            for v in value.values())):
        problem = _("{where} must be a table of file name = 64 hex digits, not {value!r}")
    if problem is None:
        problem = _url_or_folder_problem(name, value)
    if problem:
        raise InputError(path, problem.format(where=f"[{key}] {name}", value=value),
                         column=name, fix=_FIX_REGISTRY)
    return value


def _url_or_folder_problem(name: str, value: Any) -> str | None:
    """A URL with an unknown placeholder, or a folder outside the source folder."""
    if name == "url":
        if not is_http_url(value):
            return _("{where} must be a full http(s) address, not {value!r}")
        unknown = set(re.findall(r"\{([^{}]*)\}", value)) - {"ddmmyyyy"}
        if unknown or value.replace("{ddmmyyyy}", "").count("{") or \
                value.replace("{ddmmyyyy}", "").count("}"):
            return _("{where} may contain only the placeholder {{ddmmyyyy}}: {value!r}")
    if name == "folder":
        parts = PurePosixPath(value.replace("\\", "/")).parts
        if not value.strip() or PurePosixPath(value).is_absolute() or ".." in parts or \
                re.match(r"^[A-Za-z]:", value):
            return _("{where} must be a folder inside the source folder (no '..', not "
                     "absolute), not {value!r}")
    return None


def read_registry(path: str | Path) -> tuple[Release, ...]:
    """Read a TOML registry: one table per release key (``boundaries``, ``population``).

    Every value is checked (types, a full http(s) URL with no placeholder but
    ``{ddmmyyyy}``, a folder inside the source folder), each problem one
    :class:`~wirgeo.errors.InputError` naming the table and key.
    """
    path = Path(path)
    try:
        data, _text = read_toml(path)
    except OSError as exc:
        raise InputError(path, _("cannot read the registry ({error})").format(
            error=exc.strerror or exc), fix=_FIX_REGISTRY) from exc
    defaults = {r.key: r for r in DEFAULT_RELEASES}
    releases = []
    for key, table in data.items():
        if key not in defaults:
            raise InputError(path, _("unknown release {key!r}").format(key=key), column=key,
                             fix=_("use the tables [boundaries] and [population]"))
        if not isinstance(table, dict):
            raise InputError(path, _("[{key}] must be one table, not a {kind}").format(
                key=key, kind=type(table).__name__), column=key, fix=_FIX_REGISTRY)
        unknown = set(table) - _REGISTRY_KEYS
        if unknown:
            raise InputError(path, _("unknown key {name!r} in [{key}]").format(
                                       name=sorted(unknown)[0], key=key),
                             column=sorted(unknown)[0],
                             fix=_("use only {keys}").format(
                                     keys=", ".join(sorted(_REGISTRY_KEYS))))
        values = {name: _registry_value(path, key, name, value)
                  for name, value in table.items()}
        releases.append(replace(defaults[key], **values))
    return tuple(releases)


# ------------------------------------------------------------------ addresses


def _candidate_urls(release: Release, today: dt.date) -> list[tuple[str, str]]:
    """Addresses to try, newest first, each with the file name it resolves to."""
    if "{ddmmyyyy}" not in release.url:
        name = release.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return [(release.url, name)]
    out = []
    for year in range(today.year - 1, release.first_year - 1, -1):
        url = release.url.replace("{ddmmyyyy}", f"3112{year}")
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


# ------------------------------------------------------------------- fetching


class _Refused(Exception):
    """A fetch stopped by a limit or a content check (nothing of it is kept)."""


@dataclass(frozen=True)
class _BoundedDownload:
    """A pooch downloader with an overall deadline, a size limit and a content check.

    Reads arrive as the server sends them (``read1``), so the deadline is checked after
    every few bytes even from a server that trickles; a stalled connection ends after
    :data:`READ_TIMEOUT_S` or at the deadline, whichever comes first. ``check`` looks at
    the finished file before pooch moves it into the cache: what fails is never cached.
    """

    release: Release
    check: Any  # Callable[[Path], None]

    def __call__(self, url: str, output_file: Any, pooch: Any, check_only: bool = False
                 ) -> bool | None:
        import requests
        import urllib3

        limit, seconds = self.release.max_bytes, self.release.max_seconds
        deadline = time.monotonic() + seconds
        timeout = min(READ_TIMEOUT_S, seconds)
        with requests.get(url, stream=True, timeout=(timeout, timeout)) as response:
            if check_only:
                return response.status_code == 200
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _Refused(_("the server announces {size} bytes, more than the limit "
                                 "of {limit}").format(size=declared, limit=limit))
            try:
                self._stream(response, Path(output_file), deadline)
            except (urllib3.exceptions.HTTPError, TimeoutError) as exc:
                raise _Refused(_("the connection stalled or broke ({error})").format(
                    error=type(exc).__name__)) from None
        self.check(Path(output_file))
        return None

    def _stream(self, response: Any, output_file: Path, deadline: float) -> None:
        limit, seconds = self.release.max_bytes, self.release.max_seconds
        size = 0
        with open(output_file, "wb") as out:
            while chunk := response.raw.read1(256 * 1024, decode_content=True):
                size += len(chunk)
                if size > limit:
                    raise _Refused(_("more than {limit} bytes arrived").format(limit=limit))
                if time.monotonic() > deadline:
                    raise _Refused(_("not complete after {seconds} s (the server sends too "
                                     "slowly)").format(seconds=seconds))
                out.write(chunk)


def _retrieve(release: Release, url: str, name: str, known: str | None, dest: Path, *,
              force: bool) -> str:
    """Fetch ``url`` into the pooch cache, checked; ``cached``/``downloaded``."""
    import pooch
    import requests

    cache = dest / ".downloads"
    target = cache / name
    status = "cached" if target.is_file() and not force else "downloaded"
    if force and target.exists():
        target.unlink()
    downloader = _BoundedDownload(release, lambda path: _check_content(release, path, name))
    try:
        pooch.retrieve(url, known_hash=f"sha256:{known}" if known else None, fname=name,
                       path=cache, progressbar=False, downloader=downloader)
    except ValueError as exc:  # pooch: checksum mismatch (file is removed by pooch)
        raise DownloadError(_("{url}: {exc}. The file was not kept. If the publisher "
                              "replaced the release, delete {manifest} and run `wirgeo data "
                              "download --force`.").format(
                                url=url, exc=exc, manifest=dest / "MANIFEST.json")) from exc
    except _Refused as exc:
        raise DownloadError(_("{url}: {problem}. Nothing was kept; the release installed "
                              "before (if any) is unchanged. Fix: try again later, or "
                              "download the file by hand from {page} into {folder}").format(
            url=url, problem=exc, page=release.page or url, folder=dest / release.folder)
        ) from None
    except requests.RequestException as exc:
        raise DownloadError(_("{url}: download failed ({exc}). Check the connection or "
                              "download by hand from {page} into {folder}.").format(
                                url=url, exc=exc, page=release.page,
                                folder=dest / release.folder)) from exc
    return status


# ------------------------------------------------------------------ checking


def _html_page(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))


@contextlib.contextmanager
def _named(path: Path, name: str) -> Iterator[Path]:
    """``path`` under a name ending like ``name``, for the readers that go by the suffix.

    pooch's temporary file has no suffix: a hard link beside it, or a copy where links
    are refused.
    """
    named = path.with_name(path.name + PurePosixPath(name).suffix.lower())
    try:
        os.link(path, named)
    except OSError:
        shutil.copyfile(path, named)
    try:
        yield named
    finally:
        named.unlink(missing_ok=True)


def _check_content(release: Release, path: Path, name: str) -> None:
    """What was fetched is what it should be: a readable archive, GeoPackage or workbook."""
    if _html_page(path):
        raise _Refused(_("the server sent an HTML page (an error or login page?) instead "
                         "of {name}").format(name=name))
    try:
        if name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                _archive_members(zf, release, name)
        elif name.lower().endswith((".gpkg", ".xlsx")):
            with _named(path, name) as named:
                _check_installed(named, name)
    except zipfile.BadZipFile as exc:
        raise _Refused(_("{name} is not a zip archive ({error})").format(name=name,
                                                                          error=exc)) from None


def _regular(info: zipfile.ZipInfo) -> bool:
    """A plain file: no symbolic link, device or other special entry (Unix mode bits)."""
    mode = info.external_attr >> 16
    return not stat.S_IFMT(mode) or stat.S_ISREG(mode)


def _archive_members(zf: zipfile.ZipFile, release: Release, name: str
                     ) -> tuple[zipfile.ZipInfo, zipfile.ZipInfo | None]:
    """The one GeoPackage of an archive and its ``aktualitaet.txt``, after the checks."""
    entries = [i for i in zf.infolist() if not i.is_dir()]
    special = [i.filename for i in entries if not _regular(i)]
    if special:
        raise _Refused(_("{name} holds symbolic links or special files ({members}); "
                         "an official archive holds plain files only").format(
            name=name, members=", ".join(special[:5])))
    gpkgs = [i for i in entries if i.filename.lower().endswith(".gpkg")]
    if len(gpkgs) != 1:
        raise _Refused(_("{name} holds {count} GeoPackages ({members}); exactly one is "
                         "expected").format(name=name, count=len(gpkgs),
                                            members=", ".join(i.filename for i in gpkgs)
                                            or "-"))
    date = next((i for i in entries if PurePosixPath(i.filename).name.lower()
                 == "aktualitaet.txt"), None)
    chosen = [i for i in (gpkgs[0], date) if i is not None]
    total = sum(i.file_size for i in chosen)
    if total > release.max_bytes:
        raise _Refused(_("{name} would unpack to {size} bytes, more than the limit of "
                         "{limit}").format(name=name, size=total, limit=release.max_bytes))
    for info in chosen:
        if info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Refused(_("{member} in {name} is compressed more than {ratio} times "
                             "({size} bytes from {packed}): refused as a zip bomb").format(
                member=info.filename, name=name, ratio=MAX_RATIO, size=info.file_size,
                packed=info.compress_size))
    return gpkgs[0], date


# ---------------------------------------------------------------- installing


def _copy_bounded(source: Any, target: Path, limit: int) -> None:
    """Copy a stream, never writing more than ``limit`` bytes (sizes in a zip can lie)."""
    written = 0
    with open(target, "wb") as out:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise _Refused(_("more than {limit} bytes when unpacked").format(limit=limit))
            out.write(chunk)


def _install(release: Release, archive: Path, archive_sha: str, name: str, folder: Path
             ) -> Path:
    """Put a fetched file into its folder, checked under a temporary name, then renamed.

    A zip is unpacked (its one GeoPackage and ``aktualitaet.txt``), any other file copied.
    Until the rename the previous release stays as it was.

    Raises
    ------
    _Refused
        The content is not the expected file (the previous release is unchanged).
    """
    if name.lower().endswith(".zip"):
        return _unpack_gpkg(release, archive, folder / name.removesuffix(".zip"))
    file = folder / name
    if not file.is_file() or file_sha256(file) != archive_sha:
        # replacing the previous release of this very file is the point here
        with atomic_path(file, replaces_input=True) as tmp:
            shutil.copyfile(archive, tmp)
            _check_installed(tmp, name)
    return file


def _check_installed(path: Path, name: str) -> None:
    try:
        if name.lower().endswith(".gpkg"):
            check_boundary_file(path)
        elif name.lower().endswith(".xlsx"):
            check_population_workbook(path)
    except InputError as exc:
        raise _Refused(_("not the expected file: {problem}").format(problem=exc.problem)
                       ) from None


def _unpack_gpkg(release: Release, archive: Path, folder: Path) -> Path:
    """Unpack the GeoPackage and BKG's ``aktualitaet.txt`` from a VG250 zip, checked."""
    try:
        with zipfile.ZipFile(archive) as zf:
            gpkg, date = _archive_members(zf, release, archive.name)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / PurePosixPath(gpkg.filename).name
            with atomic_path(target, replaces_input=True) as tmp:
                with zf.open(gpkg) as src:
                    _copy_bounded(src, tmp, min(gpkg.file_size, release.max_bytes))
                _check_installed(tmp, target.name)
            if date is not None:
                with zf.open(date) as src:
                    text = src.read(64 * 1024).decode("utf-8", errors="replace")
                with atomic_path(folder / "aktualitaet.txt", replaces_input=True) as tmp:
                    tmp.write_text(text, encoding="utf-8")
    except zipfile.BadZipFile as exc:
        raise _Refused(_("not a zip archive ({error})").format(error=exc)) from None
    return target


# ------------------------------------------------------------------- the run


def download_sources(
    source: str | Path | None = None,
    releases: tuple[Release, ...] = DEFAULT_RELEASES,
    *,
    force: bool = False,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Download the official releases into the source folder.

    Returns one manifest entry per release (``key``, ``url``, ``file``, ``sha256``,
    ``size``, ``status`` = ``downloaded`` or ``cached``). ``MANIFEST.json`` is written
    after each release, so one that fails later keeps the entries of those installed.

    Raises
    ------
    DownloadError
        When no candidate address answers, a limit is reached, a checksum does not match
        or the content is not the expected file (naming ``--force`` when a cached file is
        the bad one).
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
        if status == "cached":
            _check_cached(release, archive, name)
        archive_sha = file_sha256(archive)
        file = _installed(release, archive, archive_sha, name, dest, status)
        entry = {"key": release.key, "url": url, "file": str(file.relative_to(dest)),
                 "sha256": file_sha256(file), "archive_sha256": archive_sha,
                 "size": file.stat().st_size, "status": status,
                 "description": release.description}
        manifest[release.key] = entry
        results.append(entry)
        write_text(manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False))
    return results


def _installed(release: Release, archive: Path, archive_sha: str, name: str, dest: Path,
               status: str) -> Path:
    """:func:`_install`; a fresh download that fails its checks is not kept in the cache."""
    try:
        return _install(release, archive, archive_sha, name, dest / release.folder)
    except _Refused as exc:
        if status == "downloaded":
            archive.unlink(missing_ok=True)
            raise DownloadError(_("{name}: {problem}. The download was not kept and the "
                                  "release installed before (if any) is unchanged. Fix: "
                                  "try again later, or download the file by hand from "
                                  "{page} into {folder}").format(
                name=name, problem=exc, page=release.page or name,
                folder=dest / release.folder)) from None
        raise DownloadError(_("{archive}: the cached download is not usable ({problem}); "
                              "the release installed before (if any) is unchanged. Fix: "
                              "run `wirgeo data download --force` to fetch it again")
                            .format(archive=archive, problem=exc)) from None


def _check_cached(release: Release, archive: Path, name: str) -> None:
    """A file served from the cache passes the same checks as a fresh download."""
    try:
        _check_content(release, archive, name)
    except _Refused as exc:
        raise DownloadError(_("{archive}: the cached download is not usable ({problem}). "
                              "Fix: run `wirgeo data download --force` to fetch it again")
                            .format(archive=archive, problem=exc)) from None

