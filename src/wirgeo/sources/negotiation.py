"""The plan document a planner keeps: every Verbund with the state of its negotiation.

A Vielfaltszentrum negotiates its Verbünde with the mayors over months. The document says
where the talks stand, one row per Gemeinde:

==========  =================================================================================
column      meaning
==========  =================================================================================
``verbund`` the planner's own label of the Verbund, or wirgeo's stable id (``V06535013-c753``);
            every row with the same label is one Verbund; empty for a Gemeinde that declined
``ags``     the Gemeinde's 8-digit key (text: ``06535013``)
``status``  of the Verbund: ``proposed``, ``in_talks``, ``agreed``, ``applied``, ``funded`` or
            ``rejected``; ``declined`` for a Gemeinde that takes no part (empty ``verbund``)
``name``    optional: the Gemeinde's name, for people (checked against the AGS)
``note``    optional: anything the planner wants to keep with the row
==========  =================================================================================

``agreed``, ``applied`` and ``funded`` Verbünde are kept exactly when the plan is completed
(:data:`KEPT`); a ``rejected`` Verbund is a group that will not go together, never proposed
again, while its members may still find other partners. A Gemeinde is in at most one
Verbund that is not rejected, or declined — never both.

This module reads and checks the document's *format* (CSV: comma or semicolon, UTF-8 or
Windows-1252; or the workbook wirgeo writes beside it, whose first sheet is the document
with German or English headers and labels): one :class:`~wirgeo.errors.InputError` per
problem, naming file, row, column and the fix. Whether the AGS exist and the Verbünde meet
the rules is checked against the data in :mod:`wirgeo.planning.negotiation`.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
>>> _ = path.write_text("verbund,ags,status,name,note\\n"
...                     "Nord,06535003,agreed,Feldatal,Rat 12.3.\\n"
...                     "Nord,06535013,agreed,Mücke,\\n"
...                     ",06535014,declined,Romrod,will allein bleiben\\n")
>>> document = read_negotiation(path)
>>> document.groups("agreed"), document.declined()
([('06535003', '06535013')], ('06535014',))
>>> _ = path.write_text("verbund,ags,status\\nNord,06535003,vereinbart\\nNord,06535013,maybe\\n")
>>> read_negotiation(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
wirgeo.errors.InputError: .../plan.csv, Zeile 3, Spalte 'status': ...'maybe'. Abhilfe: ...
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wirgeo.core.i18n import LANGUAGES, N_, _, speaking, translate
from wirgeo.core.inputs import note_input
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._parsing import norm_header
from wirgeo.sources._text import csv_rows, read_text
from wirgeo.sources.keys import check_key
from wirgeo.vocabulary import PLAN_STATUS, PlanStatus

__all__ = ["Negotiation", "read_negotiation", "COLUMNS", "REQUIRED_COLUMNS", "STATUSES",
           "VERBUND_STATUSES", "DECLINED", "KEPT", "OPEN", "COLUMN_TITLES", "column_labels"]

#: The columns of a plan document, in the order wirgeo writes them.
COLUMNS = ("verbund", "ags", "status", "name", "note")
#: The columns every document needs.
REQUIRED_COLUMNS = ("verbund", "ags", "status")
#: Statuses of a Verbund, from first proposal to funding; ``rejected`` ends it.
VERBUND_STATUSES: tuple[PlanStatus, ...] = ("proposed", "in_talks", "agreed", "applied",
                                            "funded", "rejected")
#: The status of a Gemeinde that takes no part (its ``verbund`` is empty).
DECLINED: PlanStatus = "declined"
#: Every status code of the column ``status`` (:data:`wirgeo.vocabulary.PlanStatus`).
STATUSES: tuple[PlanStatus, ...] = (*VERBUND_STATUSES, DECLINED)
#: Statuses whose Verbund is kept exactly when a plan is completed (the decisions).
KEPT: tuple[PlanStatus, ...] = ("agreed", "applied", "funded")
#: Statuses of Verbünde still open: a completion may replace them.
OPEN: tuple[PlanStatus, ...] = ("proposed", "in_talks")


#: Column → its header in the workbook for people (message ids; see :func:`column_labels`).
COLUMN_TITLES = {"verbund": N_("Verbund"), "ags": N_("AGS"), "status": N_("Status"),
                 "name": N_("Municipality"), "note": N_("Note")}


def column_labels() -> dict[str, str]:
    """Column → its header in the active language.

    Examples
    --------
    >>> with speaking("de"):
    ...     column_labels()["note"]
    'Anmerkung'
    """
    return {column: translate(title) for column, title in COLUMN_TITLES.items()}


def _aliases() -> dict[str, str]:
    """Normalised header → column: the codes and the headers of every language."""
    aliases = {norm_header(c): c for c in COLUMNS}
    for lang in LANGUAGES:  # a document is read whichever language wrote its headers
        with speaking(lang):
            aliases.update({norm_header(label): c for c, label in column_labels().items()})
    aliases.update({"gemeindename": "name", "bemerkung": "note", "notiz": "note",
                    "anmerkungen": "note", "notes": "note", "label": "verbund"})
    return aliases


def _status_codes() -> dict[str, str]:
    """Status as written (code or label, any case) → code."""
    codes: dict[str, str] = {code: code for code in STATUSES}
    for lang in LANGUAGES:
        with speaking(lang):
            codes.update({label.casefold(): code for code, label in PLAN_STATUS.labels().items()})
    codes.update({"in talks": "in_talks", "in-talks": "in_talks"})
    return codes


@dataclass(frozen=True, eq=False)
class Negotiation:
    """A plan document: one row per Gemeinde in a Verbund, or declined.

    Build it with :func:`read_negotiation` or :meth:`from_rows` (both check the
    document); write it with :func:`wirgeo.exports.write_negotiation`.

    Attributes
    ----------
    rows : DataFrame
        ``verbund``, ``ags``, ``status``, ``name``, ``note`` (text, "" where empty) and
        ``row``: the row in the file it was read from (0 for rows made by wirgeo).
    source : str
        The file it was read from ("" when made by wirgeo).
    """

    rows: pd.DataFrame
    source: str = ""

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]], source: str = "") -> Negotiation:
        """A checked document from records with the keys of :data:`COLUMNS`.

        Missing ``name``/``note`` are empty; ``row`` is kept when given (errors name it).

        Raises
        ------
        InputError
            As :func:`read_negotiation` for the same rows.
        """
        records = [{**{c: "" for c in COLUMNS}, "row": 0, **dict(r)} for r in rows]
        frame = pd.DataFrame(records, columns=[*COLUMNS, "row"])
        for column in COLUMNS:
            frame[column] = frame[column].fillna("").astype(str)
        frame["row"] = frame["row"].astype(int)
        document = cls(frame.reset_index(drop=True), source)
        _check_document(document)
        return document

    def verbuende(self) -> pd.DataFrame:
        """One row per Verbund (declined Gemeinden left out), in the order of the file.

        Columns ``verbund``, ``status``, ``member_ags`` (tuple, sorted), ``rows`` (tuple
        of file rows) and ``notes`` (the non-empty notes, ``; ``-joined).
        """
        return self._verbuende.copy()

    @functools.cached_property
    def _verbuende(self) -> pd.DataFrame:
        # plain Python over the columns, once per document: the planner asks on every click
        status_of: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        rows_of: dict[str, list[int]] = {}
        notes: dict[str, list[str]] = {}
        for label, ags, status, note, row in zip(
                *(self.rows[c].tolist() for c in ("verbund", "ags", "status", "note", "row")),
                strict=True):
            if status == DECLINED:
                continue
            status_of.setdefault(label, status)
            members.setdefault(label, []).append(ags)
            rows_of.setdefault(label, []).append(int(row))
            if note:
                notes.setdefault(label, []).append(note)
        table = [{"verbund": label, "status": status, "member_ags": tuple(sorted(members[label])),
                  "rows": tuple(rows_of[label]), "notes": "; ".join(notes.get(label, []))}
                 for label, status in status_of.items()]
        return pd.DataFrame(table, columns=["verbund", "status", "member_ags", "rows",
                                            "notes"])

    def groups(self, *statuses: str) -> list[tuple[str, ...]]:
        """The member AGS of every Verbund with one of ``statuses`` (all without any)."""
        table = self.verbuende()
        if statuses:
            table = table[table["status"].isin(statuses)]
        return list(table["member_ags"])

    def places(self) -> pd.DataFrame:
        """Where each Gemeinde is: its Verbund (not a rejected one), or declined.

        Indexed by AGS, sorted: ``verbund`` ("" when declined), ``status``,
        ``member_ags`` (tuple; empty when declined).
        """
        rows = [(a, v.verbund, v.status, v.member_ags)
                for v in self.verbuende().itertuples(index=False) if v.status != "rejected"
                for a in v.member_ags]
        rows += [(a, "", DECLINED, ()) for a in self.declined()]
        return pd.DataFrame(rows, columns=["ags", "verbund", "status", "member_ags"]
                            ).set_index("ags").sort_index()

    def declined(self) -> tuple[str, ...]:
        """AGS of the Gemeinden that take no part, sorted."""
        return tuple(sorted(self.rows.loc[self.rows["status"] == DECLINED, "ags"]))

    # ----------------------------------------------------------- hand edits
    # Each edit returns a new, checked document (the old one stays as it was: a front end
    # keeps the old ones for undo). A new row has row 0: it was not read from a file.

    def _records(self) -> list[dict[str, object]]:
        records: list[dict[str, object]] = self.rows.to_dict("records")
        return records

    def place_of(self, ags: str) -> str | None:
        """The label of the Verbund (not rejected) ``ags`` is in, "" when declined, or None.

        Examples
        --------
        >>> doc = Negotiation.from_rows([{"verbund": "Nord", "ags": "06535003",
        ...                               "status": "agreed"}])
        >>> doc.place_of("06535003"), doc.place_of("06535013")
        ('Nord', None)
        """
        for label, a, status in zip(self.rows["verbund"], self.rows["ags"],
                                    self.rows["status"], strict=True):
            if a == ags and status != "rejected":
                return "" if status == DECLINED else str(label)
        return None

    def with_member(self, ags: str, verbund: str, *, status: str = "proposed"
                    ) -> Negotiation:
        """``ags`` put into Verbund ``verbund`` (a new one with ``status`` if none is).

        It leaves the Verbund it was in, or stops declining; into a rejected group it is
        only added (a refused group places nobody).

        Examples
        --------
        >>> doc = Negotiation.from_rows([{"verbund": "Nord", "ags": "06535003",
        ...                               "status": "agreed"}])
        >>> doc = doc.with_member("06535013", "Nord").with_member("06535003", "Süd")
        >>> doc.rows[["verbund", "ags", "status"]].values.tolist()
        [['Nord', '06535013', 'agreed'], ['Süd', '06535003', 'proposed']]

        Raises
        ------
        InputError
            The document the edit would make is not valid (a refused group equal to a
            Verbund, say).
        """
        statuses = dict(zip(self.rows["verbund"], self.rows["status"], strict=True))
        status = statuses.get(verbund, status) if verbund else status
        records = self._records()
        if status != "rejected":
            records = [r for r in records if r["ags"] != ags or r["status"] == "rejected"]
        records = [r for r in records if (r["verbund"], r["ags"]) != (verbund, ags)]
        records.append({"verbund": verbund, "ags": ags, "status": status, "row": 0})
        return Negotiation.from_rows(records, self.source)

    def without_member(self, ags: str, verbund: str | None = None) -> Negotiation:
        """``ags`` taken out of ``verbund`` (default: its Verbund, or its declined row).

        A Verbund left without members is gone.
        """
        if verbund is None:
            verbund = self.place_of(ags) or ""
        records = [r for r in self._records() if (r["verbund"], r["ags"]) != (verbund, ags)]
        return Negotiation.from_rows(records, self.source)

    def with_declined(self, ags: str, note: str = "") -> Negotiation:
        """``ags`` takes no part: out of its Verbund (not the refused groups), declined."""
        records = [r for r in self._records()
                   if r["ags"] != ags or r["status"] == "rejected"]
        records.append({"verbund": "", "ags": ags, "status": DECLINED, "note": note,
                        "row": 0})
        return Negotiation.from_rows(records, self.source)

    def with_status(self, verbund: str, status: str, *, note: str | None = None
                    ) -> Negotiation:
        """Every row of Verbund ``verbund`` with ``status``; ``note`` (if given) on its first.

        Examples
        --------
        >>> doc = Negotiation.from_rows([{"verbund": "Nord", "ags": a, "status": "proposed"}
        ...                              for a in ("06535003", "06535013")])
        >>> doc = doc.with_status("Nord", "agreed", note="Rat 12.3.")
        >>> doc.verbuende()[["status", "notes"]].values.tolist()
        [['agreed', 'Rat 12.3.']]
        """
        records = self._records()
        first = True
        for r in records:
            if r["verbund"] != verbund or r["status"] == DECLINED:
                continue
            r["status"] = status
            if note is not None:
                r["note"] = note if first else ""
            first = False
        return Negotiation.from_rows(records, self.source)

    def with_label(self, verbund: str, label: str) -> Negotiation:
        """Verbund ``verbund`` renamed ``label`` (one Verbund: the label is not taken)."""
        if label in set(self.rows["verbund"]) and label != verbund:
            raise InputError(self.source or None, _("the label {label!r} is taken").format(
                label=label), column="verbund", fix=_("choose another label"))
        records = self._records()
        for r in records:
            if r["verbund"] == verbund and r["status"] != DECLINED:
                r["verbund"] = label
        return Negotiation.from_rows(records, self.source)

    def free_label(self, stem: str) -> str:
        """``stem 1``, ``stem 2``, … : the first label no Verbund of the document has."""
        taken = set(self.rows["verbund"])
        n = 1
        while f"{stem} {n}" in taken:
            n += 1
        return f"{stem} {n}"


# ------------------------------------------------------------------------ reading


def read_negotiation(path: str | Path) -> Negotiation:
    """Read and check a plan document (CSV, or the workbook wirgeo writes beside it).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma or semicolon separated, UTF-8 with or without BOM, or
        Windows-1252) with the columns :data:`COLUMNS` (``name`` and ``note`` may be
        left out; German or English headers of the workbook are accepted too), or an
        ``.xlsx`` whose first sheet is such a table. A status may be written as its code
        or as its label (``vereinbart``).

    Returns
    -------
    Negotiation

    Raises
    ------
    SourceNotFoundError
        The file does not exist.
    InputError
        Naming file, row and column: a missing or unknown column, a row with too many or
        too few fields, a bad AGS, an unknown status, a declined Gemeinde with a Verbund
        (or a Verbund without a label), one Verbund with two statuses, a Gemeinde twice
        in one Verbund, or in two Verbünde (or in a Verbund and declined).
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, _("plan document not found"),
                                  fix=_("give the path of a plan document (.csv), e.g. "
                                        "one written by `wirgeo plan new`"))
    note_input(path)  # no output may overwrite a document that was read
    if path.suffix.lower() == ".xlsx":
        table = _sheet_rows(path)
    else:
        table = csv_rows(read_text(path)[0], path,
                         fix_empty=_("write a header row: verbund,ags,status,name,note"))[0]
    header, *body = table
    index = _column_index(header, path)
    records = []
    for n, values in enumerate(body, start=2):
        if not any(str(v).strip() for v in values):
            continue
        _check_width(values, header, n, path)
        records.append(_record(values, index, header, n, path))
    return Negotiation.from_rows(records, str(path))


def _sheet_rows(path: Path) -> list[list[str]]:
    """The first sheet of a workbook as rows of text (an AGS typed as a number stays one)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken or foreign file: say so, in one line
        raise InputError(path, _("cannot be read as an Excel workbook ({error})").format(
            error=type(exc).__name__), fix=_("save it again as .xlsx, or give the .csv")
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(
            values_only=True)]
    finally:
        book.close()
    while rows and not any(str(v).strip() for v in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(path, _("the first sheet is empty"),
                         fix=_("write a header row: verbund,ags,status,name,note"))
    return rows


def _column_index(header: Sequence[object], path: Path) -> dict[str, int]:
    """Position of each column; a missing required or an unknown column is an error."""
    aliases = _aliases()
    index: dict[str, int] = {}
    for j, cell in enumerate(header):
        text = str(cell).strip()
        if not text:
            continue
        column = aliases.get(norm_header(text))
        if column is None:
            raise InputError(path, _("unknown column {column!r}").format(column=text), row=1,
                             column=text, fix=_("the columns are {columns}; put other "
                                                "remarks into note").format(
                                 columns=", ".join(COLUMNS)))
        if column in index:
            raise InputError(path, _("column {column!r} appears twice").format(
                column=column), row=1, column=text, fix=_("keep one of them"))
        index[column] = j
    for column in REQUIRED_COLUMNS:
        if column not in index:
            raise InputError(path, _("no {column} column in the header ({header})").format(
                column=column, header=", ".join(str(h) for h in header)), row=1,
                column=column, fix=_("name the columns verbund,ags,status,name,note"))
    return index


def _check_width(values: Sequence[object], header: Sequence[object], n: int, path: Path
                 ) -> None:
    """Every row has as many fields as the header: extra fields are never dropped."""
    filled = len(values)
    while filled > len(header) and not str(values[filled - 1]).strip():
        filled -= 1   # empty trailing cells (a spreadsheet's habit) are no extra fields
    if filled > len(header):
        raise InputError(path, _("row has {fields} fields, header has {columns}").format(
            fields=filled, columns=len(header)), row=n,
            fix=_("quote a note that contains the separator, or remove the extra fields"))


def _cell(values: Sequence[object], index: Mapping[str, int], column: str) -> object:
    j = index.get(column)
    return "" if j is None or j >= len(values) else values[j]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _record(values: Sequence[object], index: Mapping[str, int], header: Sequence[object],
            n: int, path: Path) -> dict[str, object]:
    """One row, each cell checked on its own."""
    raw_ags = _cell(values, index, "ags")
    ags = check_key(raw_ags if not isinstance(raw_ags, str) else raw_ags.strip(), 8,
                    source=path, row=n, column=str(header[index["ags"]]))
    status = _status(_text(_cell(values, index, "status")), n,
                     str(header[index["status"]]), path)
    verbund = _text(_cell(values, index, "verbund"))
    if "\n" in verbund or "\r" in verbund:
        raise InputError(path, _("a Verbund label spans several lines"), row=n,
                         column=str(header[index["verbund"]]),
                         fix=_("write the label on one line"))
    return {"verbund": verbund, "ags": ags, "status": status,
            "name": _text(_cell(values, index, "name")),
            "note": _text(_cell(values, index, "note")), "row": n}


def _status(text: str, n: int, column: str, path: Path) -> str:
    codes = _status_codes()
    code = codes.get(text.casefold())
    if code is None:
        what = _("status is empty") if not text else _("unknown status {status!r}").format(
            status=text)
        raise InputError(path, what, row=n, column=column,
                         fix=_("use one of {codes}").format(codes=", ".join(STATUSES)))
    return code


# --------------------------------------------------------------- the whole document


def _check_document(document: Negotiation) -> None:
    """Codes, keys, labels and statuses fit together; every Gemeinde placed at most once."""
    rows, path = document.rows, document.source or None
    for r in _tuples(rows):
        # read_negotiation has checked these already; rows made in code have not
        check_key(r.ags, 8, source=path, row=_row(r.row), column="ags")
        if r.status not in STATUSES:
            raise InputError(path, _("unknown status {status!r}").format(status=r.status),
                             row=_row(r.row), column="status",
                             fix=_("use one of {codes}").format(codes=", ".join(STATUSES)))
    _check_labels(rows, path)
    active: dict[str, tuple[int, str]] = {}       # AGS -> (row, its Verbund or "declined")
    seen: set[tuple[str, str]] = set()
    for r in _tuples(rows):
        if (r.verbund, r.ags) in seen and r.status != DECLINED:
            raise InputError(path, _("AGS {ags} appears twice in Verbund {verbund!r}").format(
                ags=r.ags, verbund=r.verbund), row=_row(r.row), column="ags",
                fix=_("keep one row per Gemeinde and Verbund"))
        seen.add((r.verbund, r.ags))
        if r.status == "rejected":
            continue          # a refused group does not place its members anywhere
        where = r.verbund if r.status != DECLINED else DECLINED
        if r.ags in active:
            first_row, first = active[r.ags]
            raise InputError(path, _("AGS {ags} is in {first} (row {first_row}) and in "
                                     "{second}").format(
                ags=r.ags, first=_place(first), first_row=first_row, second=_place(where)),
                row=_row(r.row), column="ags",
                fix=_("a Gemeinde is in one Verbund at most, or declined; mark the other "
                      "Verbund rejected or delete one of the rows"))
        active[r.ags] = (r.row, where)
    _check_refusals(document, path)


def _check_refusals(document: Negotiation, path: str | None) -> None:
    """A refused group is never also a Verbund of the document (agreed, proposed, …)."""
    verbuende = document.verbuende()
    refused = verbuende[verbuende["status"] == "rejected"]
    active = {m: (label, status) for label, status, m in zip(
        verbuende["verbund"], verbuende["status"], verbuende["member_ags"], strict=True)
        if status != "rejected"}
    for label, members, rows in zip(refused["verbund"], refused["member_ags"],
                                    refused["rows"], strict=True):
        if members in active:
            other, status = active[members]
            raise InputError(path, _("the refused group {verbund!r} has the same members as "
                                     "Verbund {other!r} ({status})").format(
                verbund=label, other=other, status=status), row=_row(rows[0]),
                column="status", fix=_("a group is refused or not: delete one of the two"))


def _check_labels(rows: pd.DataFrame, path: str | None) -> None:
    """A declined row has no label, a Verbund row has one; one status per Verbund."""
    status_of: dict[str, tuple[str, int]] = {}
    for r in _tuples(rows):
        if r.status == DECLINED and r.verbund:
            raise InputError(path, _("a Gemeinde that takes no part has a Verbund "
                                     "({verbund!r})").format(verbund=r.verbund),
                             row=_row(r.row), column="verbund",
                             fix=_("leave verbund empty for status declined, or give the "
                                   "Verbund's status"))
        if r.status != DECLINED and not r.verbund:
            raise InputError(path, _("the row has status {status} but no Verbund").format(
                status=r.status), row=_row(r.row), column="verbund",
                fix=_("write the Verbund's label into verbund, or status declined for a "
                      "Gemeinde that takes no part"))
        if r.status == DECLINED:
            continue
        first = status_of.setdefault(r.verbund, (r.status, r.row))
        if first[0] != r.status:
            raise InputError(path, _("Verbund {verbund!r} has status {first} (row "
                                     "{first_row}) and {second}").format(
                verbund=r.verbund, first=first[0], first_row=first[1], second=r.status),
                row=_row(r.row), column="status",
                fix=_("give every row of a Verbund the same status"))


_Row = namedtuple("_Row", ["verbund", "ags", "status", "name", "note", "row"])
assert _Row._fields == (*COLUMNS, "row")


def _tuples(rows: pd.DataFrame) -> list[Any]:
    """The rows as named tuples, from plain lists.

    pandas' own iteration over its string columns costs more than the whole check, and
    the planner checks on every click.
    """
    columns = [rows[column].tolist() for column in _Row._fields]
    return [_Row(*t) for t in zip(*columns, strict=True)]


def _row(row: int) -> int | None:
    return row or None


def _place(where: str) -> str:
    if where == DECLINED:
        return _("the Gemeinden that take no part")
    return _("Verbund {verbund!r}").format(verbund=where)
