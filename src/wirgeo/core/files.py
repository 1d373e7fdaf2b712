"""Writing files atomically and deterministically.

Every file wirgeo writes goes to a temporary file in the target folder first and is then
renamed, so an interrupted or failed run never leaves a half-written file behind. Formats
that store a timestamp get a fixed one, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["FIXED_TIME", "FIXED_ISO", "atomic_path", "atomic_folder", "remove_orphans",
           "write_text", "normalise_zip", "pinned_ogr_date"]

#: The timestamp stored in files whose formats keep one (GeoPackage, xlsx zip entries).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_ISO = "2000-01-01T00:00:00Z"


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError): alive
        return True
    return True


def remove_orphans(parent: str | Path) -> None:
    """Remove temporary folders of :func:`atomic_folder` whose writer was killed (``kill -9``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> parent = pathlib.Path(tempfile.mkdtemp())
    >>> (parent / "entry.tmp999999999-ab").mkdir()
    >>> remove_orphans(parent)
    >>> list(parent.iterdir())
    []
    """
    parent = Path(parent)
    if not parent.is_dir():
        return
    for tmp in parent.glob("*.tmp*"):
        pid = tmp.name.rsplit(".tmp", 1)[-1].split("-", 1)[0]
        if tmp.is_dir() and (not pid.isdigit() or not _pid_alive(int(pid))):
            shutil.rmtree(tmp, ignore_errors=True)


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


@contextlib.contextmanager
def pinned_ogr_date() -> Iterator[None]:
    """Pin GDAL's idea of "now", so a GeoPackage's ``last_change`` is the same every run."""
    old = os.environ.get("OGR_CURRENT_DATE")
    os.environ["OGR_CURRENT_DATE"] = FIXED_ISO
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = old
