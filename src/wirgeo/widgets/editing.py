"""Hand edits in the planner: the planner's own plan document, edited on the map.

:class:`PlanEditor` holds a :class:`~wirgeo.sources.Negotiation` (the plan document) and
what a planner does to it: a click on a Gemeinde puts it into the selected Verbund, takes
it out again, or starts a new Verbund (in the mode *takes no part* it declines, or takes
part again); a Verbund gets a status and a note; every edit can be undone and redone;
*complete optimally* fills the rest of the state around the decisions; the document is
saved and loaded as CSV or workbook. It holds no planning logic: every edit is a method
of the document (:meth:`~wirgeo.sources.Negotiation.with_member` …), every check
:meth:`wirgeo.planning.NegotiationBasis.check` (so each Verbund's validity is the
engine's, live on every click), the completion
:meth:`~wirgeo.planning.NegotiationBasis.complete`, the files
:func:`wirgeo.exports.write_negotiation` and :func:`wirgeo.sources.read_negotiation`.

Examples
--------
>>> from wirgeo.widgets import ConsortiumPlanner
>>> planner = ConsortiumPlanner(lang="de")
>>> editor = planner.editor
>>> editor.start()                       # the optimal plan, every Verbund proposed
>>> editor.click("06535014")             # Romrod: selects its Verbund
>>> editor.selected
'V06535013-4e3a'
>>> editor.click("06535014")             # a click on a member of the selection: out
>>> editor.check.placed, len(editor.check.invalid)
(227, 0)
>>> editor.click("06535001")             # any other Gemeinde: in (Alsfeld is too large)
>>> editor.check.invalid["rules_failed"].tolist()
[('member_too_large', 'not_contiguous')]
>>> editor.undo()
>>> editor.undo()
>>> editor.check.placed, len(editor.check.invalid)
(228, 0)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets

from wirgeo.core.i18n import N_, decimal, number, translate
from wirgeo.core.markup import html_text
from wirgeo.errors import WirgeoError
from wirgeo.exports import write_negotiation
from wirgeo.planning import NegotiationBasis, NegotiationCheck, new_negotiation
from wirgeo.sources import Negotiation, read_negotiation
from wirgeo.sources.negotiation import VERBUND_STATUSES
from wirgeo.vocabulary import PLAN_STATUS
from wirgeo.wording import check_line, cost_lines

if TYPE_CHECKING:
    from wirgeo.widgets.planner import ConsortiumPlanner

__all__ = ["PlanEditor", "EDIT_TEXTS"]

#: Every text of the editor (message ids; said with :func:`wirgeo.core.i18n.translate`).
EDIT_TEXTS = {
    "heading": N_("Own plan: edit on the map"),
    "start": N_("Edit this plan"),
    "mode_member": N_("Click: into / out of the Verbund"),
    "mode_declined": N_("Click: takes no part"),
    "verbund": N_("Verbund"),
    "new_verbund": N_("— new Verbund —"),
    "new_label": N_("New"),
    "status": N_("Status"),
    "note": N_("Note"),
    "label": N_("Label"),
    "apply": N_("Set status and note"),
    "undo": N_("Undo"),
    "redo": N_("Redo"),
    "complete": N_("Complete optimally"),
    "path": N_("File (.csv or .xlsx)"),
    "save": N_("Save"),
    "load": N_("Load"),
    "saved": N_("Saved: {files}"),
    "loaded": N_("Loaded: {file}"),
    "not_started": N_("Press “Edit this plan” to edit the plan on the map."),
    "optimum": N_("optimum under these rules: {optimum} (without any decision)"),
    "checked": N_("checked in {seconds} s"),
    "completed": N_("completed in {seconds} s"),
    "not_done": N_("Not done"),
}


class PlanEditor:
    """The plan document of a :class:`~wirgeo.widgets.ConsortiumPlanner`, edited by hand.

    Attributes
    ----------
    document : Negotiation or None
        The document being edited (None before :meth:`start` or :meth:`load`).
    check : NegotiationCheck or None
        The document checked against the planner's current rules (after every edit).
    selected : str or None
        Label of the Verbund clicks go to (None: the next click starts a new one).
    mode : str
        ``member`` (clicks put Gemeinden into and out of Verbünde) or ``declined``.
    seconds : float
        Wall time of the last edit: document, check, map and figures.
    view : ipywidgets.VBox
        The editor's controls and status line.
    """

    def __init__(self, planner: ConsortiumPlanner) -> None:
        self.planner = planner
        self.document: Negotiation | None = None
        self.check: NegotiationCheck | None = None
        self.selected: str | None = None
        self.mode = "member"
        self.seconds = 0.0
        self._undo: list[tuple[Negotiation, str | None]] = []
        self._redo: list[tuple[Negotiation, str | None]] = []
        self._bases: dict[object, NegotiationBasis] = {}
        self._completion_line = ""
        self._say = {key: translate(text) for key, text in EDIT_TEXTS.items()}
        self._build()
        planner.live_map.on_click(self._clicked)

    # ------------------------------------------------------------ the basis

    @property
    def basis(self) -> NegotiationBasis:
        """The planner's rules, data and contiguity (kept per setting of the controls)."""
        planner = self.planner
        state = dataclasses.replace(planner.state(), lock_text="")
        basis = self._bases.get(state)
        if basis is None:
            basis = NegotiationBasis.of(planner.municipalities, planner.request(state),
                                        adjacency=planner.adjacency,
                                        grantees=planner.grantees)
            self._bases = {state: basis}   # one setting at a time: rules change rarely
        return basis

    # ------------------------------------------------------------ edits

    def start(self, document: Negotiation | None = None) -> None:
        """Edit ``document`` (default: the planner's current plan, every Verbund proposed)."""
        with self.planner.speaking():
            document = document or new_negotiation(self.planner.run)
            self._undo, self._redo = [], []
            self.selected = None
            self._show(document)

    def click(self, ags: str) -> None:
        """What a click on Gemeinde ``ags`` does (see the module's description)."""
        with self.planner.speaking():
            self._click(ags)

    def _click(self, ags: str) -> None:
        document = self.document
        if document is None:
            return
        place = document.place_of(ags)
        if self.mode == "declined":
            self._edit(lambda d: d.without_member(ags, "") if place == "" else
                       d.with_declined(ags), self.selected)
            return
        selected = self.selected
        if selected is None:
            if place:                       # a click into a Verbund selects it
                self.selected = place
                self._show(document)
                return
            label = document.free_label(self._say["new_label"])
            self._edit(lambda d: d.with_member(ags, label), label)
            return
        members = document.rows[(document.rows["verbund"] == selected)]["ags"]
        if ags in set(members):
            gone = len(members) == 1
            self._edit(lambda d: d.without_member(ags, selected), None if gone else selected)
        else:
            self._edit(lambda d: d.with_member(ags, selected), selected)

    def select(self, label: str | None) -> None:
        """Make Verbund ``label`` the one clicks go to (None: the next click starts one)."""
        with self.planner.speaking():
            self.selected = label or None
            if self.document is not None:
                self._show(self.document)

    def set_status(self, status: str, note: str | None = None, *,
                   label: str | None = None) -> None:
        """The selected Verbund gets ``status`` (a code of ``VERBUND_STATUSES``) and note.

        ``label`` renames it as well.
        """
        with self.planner.speaking():
            chosen = self.selected
            if chosen is None:
                return
            new = label.strip() if label and label.strip() != chosen else None

            def change(d: Negotiation) -> Negotiation:
                d = d.with_status(chosen, status, note=note)
                return d.with_label(chosen, new) if new else d

            self._edit(change, new or chosen)

    def undo(self) -> None:
        """Take back the last edit."""
        self._step(self._undo, self._redo)

    def redo(self) -> None:
        """Make the last undone edit again."""
        self._step(self._redo, self._undo)

    def _step(self, source: list, target: list) -> None:
        with self.planner.speaking():
            if not source or self.document is None:
                return
            target.append((self.document, self.selected))
            document, self.selected = source.pop()
            self._show(document)

    def _edit(self, change: Callable[[Negotiation], Negotiation], selected: str | None
              ) -> None:
        """One edit: the new document checked and shown, the old one kept for undo."""
        assert self.document is not None
        started = time.perf_counter()
        try:
            document = self._named(change(self.document))
        except WirgeoError as exc:
            self._problem(exc)
            return
        self._undo.append((self.document, self.selected))
        self._redo.clear()
        self.selected = selected
        self._completion_line = ""
        self._show(document, started)

    def _named(self, document: Negotiation) -> Negotiation:
        """Rows added by a click get the Gemeinde's name (the file is read by people)."""
        rows = document.rows
        empty = rows["name"] == ""
        if not empty.any():
            return document
        names = self._names()
        filled = rows.assign(name=rows["name"].where(~empty, rows["ags"].map(names)))
        return Negotiation(filled, document.source)

    def _names(self) -> dict[str, str]:
        if not hasattr(self, "_name_of"):
            mun = self.planner.municipalities
            self._name_of = dict(zip(mun["ags"], mun["name"], strict=True))
        return self._name_of

    def complete(self) -> None:
        """Complete the document optimally around its decisions, and say what they cost.

        Kept (agreed, applied, funded) Verbünde stay, refused groups are never proposed,
        declined Gemeinden stay out, open Verbünde stay where a best completion allows;
        the cost is measured against the planner's optimum under the same rules.
        """
        with self.planner.speaking():
            if self.document is None:
                return
            started = time.perf_counter()
            try:
                done = self.basis.complete(self.document, costs=False)
            except WirgeoError as exc:
                self._problem(exc)
                return
            free = self._optimum()
            lines = cost_lines(dataclasses.replace(done, covered_free=free)) \
                if free is not None else []
            self._undo.append((self.document, self.selected))
            self._redo.clear()
            self._show(done.document, started)
            self._completion_line = " ".join(lines)
            seconds = decimal(time.perf_counter() - started, digits=2)
            self._status(self._say["completed"].format(seconds=seconds))

    def _optimum(self) -> int | None:
        """Small Gemeinden the planner's plan places without any decision (statewide)."""
        planner = self.planner
        state = dataclasses.replace(planner.state(), lock_text="")
        if state.within and state.kreise:
            return None
        return int(planner.run_for(state).plan.n_covered)

    # ------------------------------------------------------------ files

    def save(self, path: str | Path | None = None) -> list[Path]:
        """Write the document (CSV with its workbook twin, or the workbook alone)."""
        with self.planner.speaking():
            if self.document is None or self.check is None:
                return []
            path = Path(path or str(self.controls["path"].value).strip() or
                        self.planner.export_name(".csv", prefix="plan"))
            try:
                written = write_negotiation(self.document, path, check=self.check,
                                            basis=self.basis)
            except WirgeoError as exc:
                self._problem(exc)
                return []
            self.controls["path"].value = str(path)
            for file in written:
                self.planner._wrote(file)
            self._status(self._say["saved"].format(
                files=", ".join(p.name for p in written)))
            return written

    def load(self, path: str | Path | None = None) -> None:
        """Read a document (CSV or workbook) and edit it; its own problems are shown."""
        with self.planner.speaking():
            path = Path(path or str(self.controls["path"].value).strip())
            try:
                document = read_negotiation(path)
                self.basis.check(document)   # its Gemeinden are in the data
            except WirgeoError as exc:
                self._problem(exc)
                return
            if self.document is not None:
                self._undo.append((self.document, self.selected))
            self._redo.clear()
            self.selected = None
            self._show(document)
            self._status(self._say["loaded"].format(file=path.name))

    # ------------------------------------------------------------ showing

    def refresh(self) -> None:
        """Check the document again (the planner's rules changed) and show it."""
        if self.document is not None:
            self._show(self.document)

    def _show(self, document: Negotiation, started: float | None = None) -> None:
        started = time.perf_counter() if started is None else started
        check = self.basis.check(document)
        self.document, self.check = document, check
        if self.selected not in set(document.rows["verbund"]):
            self.selected = None
        self.planner.live_map.show_document(check, self.planner.run.kreise,
                                            selected=self.selected)
        self._options()
        self.seconds = time.perf_counter() - started
        self._status(self._say["checked"].format(seconds=decimal(self.seconds, digits=2)))

    def _options(self) -> None:
        """The Verbund list, the selection and its status in the controls."""
        assert self.document is not None
        c = self.controls
        labels = [v for v in dict.fromkeys(self.document.rows["verbund"]) if v]
        options = [(self._say["new_verbund"], "")] + [(v, v) for v in labels]
        self._quiet = True
        try:
            if list(c["verbund"].options) != options:
                c["verbund"].options = options
            c["verbund"].value = self.selected or ""
            if self.selected:
                table = self.document.verbuende().set_index("verbund")
                c["status"].value = table.at[self.selected, "status"]
                c["note"].value = table.at[self.selected, "notes"]
                c["label"].value = self.selected
            else:  # nothing selected: no fields of an earlier selection
                c["label"].value = c["note"].value = ""
        finally:
            self._quiet = False

    def _status(self, done: str) -> None:
        assert self.check is not None
        free = self._optimum()
        lines = [check_line(self.check)]
        if free is not None:
            lines.append(self._say["optimum"].format(optimum=number(free)))
        self.status.value = (f"<p><b>{html_text('; '.join(lines))}</b></p>"
                             f"<p>{html_text(self._completion_line)}</p>"
                             f"<p>{html_text(done)}</p>")

    def _problem(self, exc: WirgeoError) -> None:
        self.status.value = (f'<p class="wirgeo-error"><b>{html_text(self._say["not_done"])}:'
                             f"</b> {html_text(str(exc))}</p>") + self.status.value

    # ------------------------------------------------------------ controls

    def _build(self) -> None:
        say = self._say
        auto = widgets.Layout(width="auto")
        full = widgets.Layout(width="100%")
        statuses = [(PLAN_STATUS.label(s), s) for s in VERBUND_STATUSES]
        self._quiet = False
        self.controls: dict[str, widgets.Widget] = {
            "start": widgets.Button(description=say["start"], icon="pencil", layout=auto),
            "mode": widgets.ToggleButtons(
                options=[(say["mode_member"], "member"), (say["mode_declined"], "declined")],
                value="member", style={"button_width": "auto"}),
            "verbund": widgets.Dropdown(options=[(say["new_verbund"], "")], value="",
                                        layout=full),
            "status": widgets.Dropdown(options=statuses, value="proposed", layout=full),
            "label": widgets.Text(value="", layout=full),
            "note": widgets.Text(value="", layout=full),
            "apply": widgets.Button(description=say["apply"], icon="check", layout=auto),
            "undo": widgets.Button(description=say["undo"], icon="undo", layout=auto),
            "redo": widgets.Button(description=say["redo"], icon="repeat", layout=auto),
            "complete": widgets.Button(description=say["complete"], icon="magic",
                                       layout=auto),
            "path": widgets.Text(value="", layout=full),
            "save": widgets.Button(description=say["save"], icon="save", layout=auto),
            "load": widgets.Button(description=say["load"], icon="folder-open", layout=auto),
        }
        c = self.controls
        c["path"].add_class("wirgeo-plan-path")
        c["start"].on_click(lambda _b: self.start())
        c["mode"].observe(lambda ch: setattr(self, "mode", ch["new"]), names="value")
        c["verbund"].observe(self._picked, names="value")
        c["apply"].on_click(lambda _b: self.set_status(
            c["status"].value, str(c["note"].value), label=str(c["label"].value)))
        c["undo"].on_click(lambda _b: self.undo())
        c["redo"].on_click(lambda _b: self.redo())
        c["complete"].on_click(lambda _b: self.complete())
        c["save"].on_click(lambda _b: self.save())
        c["load"].on_click(lambda _b: self.load())
        self.status = widgets.HTML(f"<p>{html_text(say['not_started'])}</p>")
        self.status.add_class("wirgeo-edit-status")

        def labelled(key: str, widget: widgets.Widget) -> widgets.Widget:
            return widgets.VBox([widgets.HTML(f'<div class="wirgeo-label">'
                                              f"{html_text(say[key])}</div>"), widget])

        wrap = widgets.Layout(flex_flow="row wrap")
        self.view = widgets.VBox([
            widgets.HTML(f"<h4>{html_text(say['heading'])}</h4>"),
            widgets.HBox([c["start"], c["undo"], c["redo"], c["complete"]], layout=wrap),
            c["mode"], self.status,
            widgets.HBox([labelled("verbund", c["verbund"]), labelled("status", c["status"]),
                          labelled("label", c["label"]), labelled("note", c["note"])],
                         layout=wrap),
            c["apply"],
            labelled("path", c["path"]), widgets.HBox([c["save"], c["load"]], layout=wrap),
        ])
        self.view.add_class("wirgeo-editor")

    def _picked(self, change) -> None:
        if not self._quiet:
            self.select(change["new"] or None)

    def _clicked(self, ags: str) -> None:
        self.click(ags)

