"""Entries of the on-disk cache: a folder of Parquet tables and one JSON manifest.

Both caches keep their entries this way — the data layer's parsed population tables
(:mod:`wirgeo.municipalities.load`) and the planning results (:mod:`wirgeo.planning.cache`).
An entry is never pickle: reading one runs no code. It is written to a temporary folder and
moved into place whole, the manifest last; on reading, the manifest must carry the fields
the reader expects (its kind, key, format) and every table the columns, types and rows
written. Columns of lists (tuples, :mod:`wirgeo.core.lists`) are kept as JSON text and
read back as tuples. A damaged or foreign entry is discarded with one line and ``None``
returned, so the caller computes the answer afresh; a cache that cannot be written (a full
disk, a lost race) never stops the work.

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "entry"
>>> table = pd.DataFrame({"ags": ["06535016"], "chosen": pd.Series([None], dtype=object),
...                       "partners": [("06535018", "06535019")]})
>>> write_entry(folder, {"kind": "example", "key": "k1"}, {"t": table})
>>> meta, tables = read_entry(folder, {"kind": "example", "key": "k1"})
>>> meta["key"], tables["t"].equals(table), tables["t"]["chosen"].iloc[0] is None
('k1', True, True)
>>> tables["t"]["partners"].iloc[0]
('06535018', '06535019')
>>> read_entry(folder, {"kind": "example", "key": "k2"}) is None   # foreign: discarded
True
>>> folder.exists()
False
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wirgeo.core.files import atomic_folder, remove_orphans
from wirgeo.core.i18n import _
from wirgeo.core.lists import list_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_entry", "write_entry", "prune", "read_parquet"]

_log = logging.getLogger(__name__)
MANIFEST = "manifest.json"

#: Tables read lately, by the file's identity (path, inode, size, modification time in ns):
#: a command, a notebook or a test reads the same cache files again and again, and decoding
#: the outlines is most of it. Each caller gets a copy; a rewritten file (entries are moved
#: into place: a new inode) is read afresh.
_READ: OrderedDict[tuple[str, int, int, int, bool], pd.DataFrame] = OrderedDict()
_READ_KEEP = 48


def read_parquet(path: Path, *, geometry: bool) -> pd.DataFrame:
    """The table of a Parquet file (a GeoDataFrame with ``geometry``), a copy of its own.

    Read once while the file stays the same (:data:`_READ`); raises what the reader raises
    for a missing or damaged file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> pd.DataFrame({"ags": ["06535016"]}).to_parquet(path)
    >>> first = read_parquet(path, geometry=False)
    >>> first.loc[0, "ags"] = "changed"            # the caller's copy
    >>> read_parquet(path, geometry=False).loc[0, "ags"]
    '06535016'
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns, geometry)
    table = _READ.get(key)
    if table is None:
        import geopandas as gpd
        import pandas as pd

        table = gpd.read_parquet(path) if geometry else pd.read_parquet(path)
        _READ[key] = table
        while len(_READ) > _READ_KEEP:
            _READ.popitem(last=False)
    else:
        _READ.move_to_end(key)
    return table.copy()  # a deep copy, attrs included


def _discard(folder: Path, reason: str) -> None:
    _log.warning(_("cache {folder} is unusable ({reason}): discarded, computing afresh")
                 .format(folder=folder, reason=reason))
    shutil.rmtree(folder, ignore_errors=True)


def _schema(table: pd.DataFrame) -> dict[str, Any]:
    import geopandas as gpd

    return {"columns": [str(c) for c in table.columns],
            "dtypes": [str(t) for t in table.dtypes], "rows": len(table),
            "geometry": isinstance(table, gpd.GeoDataFrame),
            "lists": [str(c) for c in list_columns(table)]}


def _as_tuple(value: Any) -> Any:
    return tuple(_as_tuple(v) for v in value) if isinstance(value, list) else value


def _lists_as_json(table: pd.DataFrame) -> pd.DataFrame:
    """Columns of lists (tuples, :mod:`wirgeo.core.lists`) as JSON text.

    JSON keeps them exactly (an empty one, a list of groups); read back as tuples.
    """
    columns = list_columns(table)
    if not columns:
        return table
    out = table.copy()
    for column in columns:
        out[column] = out[column].map(
            lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    return out


def _restore(table: pd.DataFrame, schema: Mapping[str, Any]) -> pd.DataFrame:
    """The column types as written (Parquet reads text columns of objects as strings)."""
    import pandas as pd

    for column in schema.get("lists", ()):
        if column in table.columns:
            table[column] = pd.Series(
                [None if v is None else _as_tuple(json.loads(v)) for v in table[column]],
                index=table.index, dtype=object)
    for column, dtype in zip(schema["columns"], schema["dtypes"], strict=True):
        if column not in table.columns or str(table[column].dtype) == dtype:
            continue
        values = table[column]
        if dtype == "object":
            table[column] = pd.Series(values.astype(object).where(values.notna(), None),
                                      index=table.index, dtype=object)
        elif dtype != "geometry":
            table[column] = values.astype(dtype)  # an empty column read as another type
    return table


def _problem(table: pd.DataFrame, schema: Mapping[str, Any]) -> str | None:
    if list(map(str, table.columns)) != schema["columns"]:
        return _("columns differ from the ones written")
    if len(table) != schema["rows"]:
        return _("{rows} rows instead of {expected}").format(rows=len(table),
                                                             expected=schema["rows"])
    if [str(t) for t in table.dtypes] != schema["dtypes"]:
        return _("column types differ from the ones written")
    return None


def read_entry(folder: Path, expect: Mapping[str, Any]
               ) -> tuple[dict[str, Any], dict[str, pd.DataFrame]] | None:
    """The manifest and tables of the entry in ``folder``, or None.

    None when there is no entry; a damaged entry, or one whose manifest does not carry the
    values of ``expect`` (another question, an older format), is discarded with one line.
    A read entry's manifest is touched: :func:`prune` keeps the recently used longest.
    """
    if not folder.is_dir():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if any(manifest.get(name) != value for name, value in expect.items()):
            _discard(folder, _("written for another question"))
            return None
        tables = {}
        for name, schema in manifest["tables"].items():
            table = _restore(read_parquet(folder / f"{name}.parquet",
                                          geometry=bool(schema["geometry"])), schema)
            problem = _problem(table, schema)
            if problem:
                _discard(folder, f"{name}: {problem}")
                return None
            tables[name] = table
    except Exception as exc:  # unreadable, truncated, not Parquet, not JSON: never trusted
        _discard(folder, f"{type(exc).__name__}: {exc}".splitlines()[0][:160])
        return None
    _log.debug("read from the cache: %s", folder)
    with contextlib.suppress(OSError):
        os.utime(folder / MANIFEST)
    return manifest, tables


def write_entry(folder: Path, manifest: Mapping[str, Any],
                tables: Mapping[str, pd.DataFrame]) -> None:
    """Write an entry whole (best effort: a full disk or a lost race changes nothing)."""
    try:
        remove_orphans(folder.parent)
        with atomic_folder(folder) as tmp:
            for name, table in tables.items():
                _lists_as_json(table).to_parquet(tmp / f"{name}.parquet", index=False)
            written = {**manifest, "tables": {n: _schema(t) for n, t in tables.items()}}
            # written last: a folder without it is incomplete and never read
            (tmp / MANIFEST).write_text(json.dumps(written, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    except OSError:
        pass


def prune(parent: Path, pattern: str, keep: int,
          current: Callable[[Mapping[str, Any]], bool]) -> None:
    """Drop the entries ``current`` rejects, then the least recently used beyond ``keep``."""
    kept = []
    for folder in parent.glob(pattern):
        if ".tmp" in folder.name:
            continue
        try:
            manifest = folder / MANIFEST
            written = json.loads(manifest.read_text(encoding="utf-8"))
            used = manifest.stat().st_mtime
        except (OSError, ValueError):
            continue  # being written, or damaged: a reader discards it
        if not current(written):
            shutil.rmtree(folder, ignore_errors=True)
        else:
            kept.append((used, folder.name, folder))
    for _used, _name, folder in sorted(kept, reverse=True)[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
