"""Writing files atomically and deterministically, never over an input.

Every file wirgeo writes goes to a temporary file in the target folder first and is then
renamed, so an interrupted or failed run never leaves a half-written file behind. Before
that, :func:`atomic_path` refuses a target that is an input (:mod:`wirgeo.core.inputs`).
Formats that store a timestamp get a fixed one, so the same inputs give byte-identical
files.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

from wirgeo.core.inputs import check_output

__all__ = ["FIXED_TIME", "FIXED_ISO", "atomic_path", "atomic_folder", "scratch_folder",
           "remove_orphans", "pid_alive", "write_text", "normalise_zip", "pinned_ogr_date"]

#: The timestamp stored in files whose formats keep one (GeoPackage, xlsx zip entries).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_ISO = "2000-01-01T00:00:00Z"


@contextlib.contextmanager
def atomic_path(path: str | Path, *, replaces_input: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    ``path`` must not be an input of the run (:func:`wirgeo.core.inputs.check_output`);
    only ``replaces_input=True`` lets a writer replace one on purpose (installing a newer
    release of an official file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    if not replaces_input:
        check_output(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers that refuse to overwrite (GeoPackage) get a fresh name
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        # the user knows the target, not our temporary name: errors name the target
        if exc.filename in (None, str(tmp), tmp):
            exc.filename = str(path)
            exc.filename2 = None
        raise
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_folder(folder: str | Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``folder``; it replaces ``folder`` whole on success.

    For the caches: a reader sees a complete folder or none, never a half-written one. The
    temporary folder carries the writer's process id, so :func:`remove_orphans` can tell
    a folder left by a killed writer from one still being written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "entry"
    >>> with atomic_folder(target) as tmp:
    ...     _ = (tmp / "a.json").write_text("{}")
    >>> sorted(p.name for p in target.parent.iterdir()), (target / "a.json").read_text()
    (['entry'], '{}')
    """
    folder = Path(folder)
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        tmp.mkdir(parents=True)
        yield tmp
        if folder.exists():  # a damaged entry, or one written meanwhile by another process
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # also after Ctrl-C during the write


def write_text(path: str | Path, text: str) -> Path:
    """Write text atomically (UTF-8, ``\\n`` line ends).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_text(pathlib.Path(tempfile.mkdtemp()) / "b.txt", "x").read_text()
    'x'
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def normalise_zip(path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed entry dates and order, for byte-identical output."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    # openpyxl stamps the save time into docProps/core.xml whatever was set before
    stamp = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    entries = [(name, stamp.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (another user's counts as running)."""
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's process
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent off Windows
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: another user's process
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


# the process id in a scratch folder's name: "<prefix><pid>-<random>" (scratch_folder),
# "<name>.tmp<pid>-<random>" (atomic_folder)
_SCRATCH = re.compile(r"^(?P<pid>\d+)-")
_ATOMIC = re.compile(r"\.tmp(?P<pid>\d+)(-|$)")
# a folder without a process id (written by wirgeo before 0.2) is a leftover after this long
_STALE_SECONDS = 6 * 3600


def scratch_folder(parent: str | Path, prefix: str) -> Path:
    """A new temporary folder in ``parent`` whose name records this process's id.

    ``<prefix><pid>-<random>``: the next run can tell a folder of a process that is gone
    (``kill -9``, a power cut) from one of a run still at work, whatever its age, and
    :func:`remove_orphans` removes the first kind.
    """
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def _orphaned(folder: Path, prefix: str | None, now: float) -> bool:
    """Whether a scratch folder's process is gone (or, without a process id, it is old)."""
    if prefix is None:  # atomic_folder: a temporary folder without a pid is never in use
        match = _ATOMIC.search(folder.name)
        return match is None or not pid_alive(int(match["pid"]))
    match = _SCRATCH.match(folder.name[len(prefix):])
    if match is not None:
        return not pid_alive(int(match["pid"]))
    return now - folder.stat().st_mtime > _STALE_SECONDS


def remove_orphans(parent: str | Path, prefix: str | None = None) -> list[Path]:
    """Remove the scratch folders in ``parent`` whose process is gone; return them.

    ``prefix`` names folders of :func:`scratch_folder`; without it, the temporary folders
    of :func:`atomic_folder` (``<name>.tmp<pid>-…``) are meant.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> parent = pathlib.Path(tempfile.mkdtemp())
    >>> dead = parent / ".wirgeo-staging-999999999-x"
    >>> dead.mkdir()
    >>> alive = scratch_folder(parent, ".wirgeo-staging-")
    >>> [p.name for p in remove_orphans(parent, ".wirgeo-staging-")], alive.is_dir()
    (['.wirgeo-staging-999999999-x'], True)
    >>> (parent / "entry.tmp999999999-ab").mkdir()
    >>> [p.name for p in remove_orphans(parent)]
    ['entry.tmp999999999-ab']
    """
    parent = Path(parent)
    if not parent.is_dir():
        return []
    removed = []
    now = time.time()
    for folder in sorted(parent.glob(f"{prefix}*" if prefix is not None else "*.tmp*")):
        try:
            gone = folder.is_dir() and _orphaned(folder, prefix, now)
        except (OSError, ValueError, OverflowError):  # removed meanwhile; an absurd pid
            continue
        if gone:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def pinned_ogr_date() -> Iterator[None]:
    """Pin GDAL's idea of "now", so a GeoPackage's ``last_change`` is the same every run.

    ``OGR_CURRENT_DATE`` is a GDAL configuration option: it is set in GDAL (never in the
    process environment) for the length of the block, and the previous value restored.

    Examples
    --------
    >>> import pyogrio
    >>> with pinned_ogr_date():
    ...     pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    '2000-01-01T00:00:00Z'
    >>> pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    True
    """
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_ISO})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})
