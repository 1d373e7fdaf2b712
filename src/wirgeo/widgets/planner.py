"""The consortium planner for JupyterLab: rule controls, a live map and tables that follow them.

:class:`ConsortiumPlanner` puts the KIV rules a planner may want to vary (minimum combined
population, maximum members, same Kreis, a large partner, mutual adjacency, funded
municipalities) next to a searchable Kreis selection, searchable exclusions and locked
Verbünde. Every change recomputes the optimal plan (a
:class:`wirgeo.planning.PlanningRequest` built from the controls) and updates the live
map (:class:`~wirgeo.widgets.live_map.LiveMap`: only the Verbund layers are sent, the
planner's zoom stays), the tables and the status line, which says what was computed, in
how long and whether it is proven optimal. A change that leaves the plan as it was says
so. Locks are applied with their button, so typing never recomputes.

Runs are kept per setting (a setting visited before is shown at once), and a Kreis
selection is a view of the statewide plan (the same Verbünde, ids and reasons as for all
of Hessen), so choosing Kreise does not solve again; planning only among the selected
Kreise is a checkbox of its own. Every label, message and table speaks the planner's
language (``lang=``, German by default).

Exports keep every file: each gets the rules and the time in its name (HTML map via
:func:`wirgeo.maps.save_map`, plan workbook with its run record via
:func:`wirgeo.exports.write_plan_workbook`, the Dossier of the selected Landkreis via
:func:`wirgeo.dossier.write`), and the planner lists them with links.

Examples
--------
>>> from wirgeo.widgets import ConsortiumPlanner
>>> planner = ConsortiumPlanner(kreise=["Vogelsbergkreis"])
>>> print(planner.summary)
Vogelsbergkreis: 16 von 16 kleinen Gemeinden in 6 Verbünden — Ausschnitt des landesweiten \
Plans: 228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)
>>> planner.controls["within"].value = True
>>> planner.controls["max_members"].value = 2
>>> planner.rules.max_members, planner.summary
(2, 'Vogelsbergkreis: 6 von 16 kleinen Gemeinden in 3 Verbünden (optimal) — nur \
innerhalb dieser Kreise geplant')
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import geopandas as gpd
import ipywidgets as widgets
import pandas as pd

from wirgeo import dossier, maps
from wirgeo.consortia import partners_for
from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _, decimal, language, number, speaking
from wirgeo.core.markup import html_text
from wirgeo.errors import ArgumentError, WirgeoError
from wirgeo.exports import write_plan_workbook
from wirgeo.exports.sheets import COLUMNS, people_list
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning, PlanningRequest, parse_locks
from wirgeo.planning.cache import contiguity_of
from wirgeo.programme import programme_tables
from wirgeo.rules import KivRules, load_rules
from wirgeo.vocabulary import FLEXIBILITY, yes_no
from wirgeo.widgets.editing import PlanEditor
from wirgeo.widgets.live_map import LiveMap
from wirgeo.widgets.texts import kreis_label, sort_key, texts
from wirgeo.wording import (
    describe_rules,
    flexibility_summary,
    reason_text,
    summary_line,
    with_reasons,
)

__all__ = ["ConsortiumPlanner", "PlannerState"]

#: Planning runs kept per setting (a statewide run is about 3 MB of tables).
CACHE_SIZE = 24


@dataclass(frozen=True)
class PlannerState:
    """What the controls say, as plain values (see :meth:`ConsortiumPlanner.state`).

    ``kreise`` and ``exclude`` are keys (5-digit Kreis keys, 8-digit AGS); ``lock_text``
    is the lock text last applied with the button, not what is being typed.
    """

    kreise: tuple[str, ...]
    within: bool
    combined_min: int
    max_members: int
    same_kreis: bool
    allow_large_partner: bool
    mutual: bool
    include_funded: bool
    exclude: tuple[str, ...]
    lock_text: str

    def plan_key(self) -> PlannerState:
        """The part of the state the plan depends on: Kreise only when planning within them.

        Examples
        --------
        >>> state = PlannerState(("06535",), False, 10000, 3, False, False, False, False,
        ...                      (), "")
        >>> state.plan_key().kreise, dataclasses.replace(state, within=True).plan_key().kreise
        ((), ('06535',))
        """
        if self.within and self.kreise:
            return self
        return dataclasses.replace(self, kreise=(), within=False)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_language(method: Callable[Concatenate[ConsortiumPlanner, _P], _R]
                 ) -> Callable[Concatenate[ConsortiumPlanner, _P], _R]:
    """Run a planner method in the planner's language (every callback speaks it)."""
    @functools.wraps(method)
    def speak(self: ConsortiumPlanner, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with speaking(self.lang):
            return method(self, *args, **kwargs)
    return speak


def _table_html(frame: pd.DataFrame, columns: tuple[str, ...], *, limit: int = 400,
                extra: dict[str, pd.Series] | None = None) -> str:
    """An escaped HTML table with the columns' headers (:data:`COLUMNS`).

    ``extra`` adds columns of ready texts by header, after the first column.
    """
    cells = {COLUMNS[c].header(): _cells(frame[c], c) for c in columns}
    if extra:
        first, *rest = cells.items()
        cells = dict([first, *extra.items(), *rest])
    shown = pd.DataFrame(cells).head(limit)
    more = ""
    if len(frame) > limit:
        more = "<p>" + html_text(_("… {count} more rows in the Excel export.").format(
            count=number(len(frame) - limit))) + "</p>"
    return shown.to_html(index=False, escape=True, border=0,
                         classes="wirgeo-table", na_rep="") + more


@functools.lru_cache(maxsize=16_384)
def _number(value: int, lang: str) -> str:
    # Babel takes about 0.1 ms a number; the same populations come back change after change
    return number(value, lang)


@functools.lru_cache(maxsize=16_384)
def _decimal(value: float, lang: str) -> str:
    return decimal(value, lang)


def _cells(series: pd.Series, column: str) -> pd.Series:
    kind = COLUMNS[column].kind
    lang = language()
    if kind == "int":
        return series.map(lambda v: _number(int(v), lang) if pd.notna(v) else "")
    if kind == "km":
        return series.map(lambda v: _decimal(float(v), lang) if pd.notna(v) else "")
    if kind == "bool":
        return series.map(yes_no)
    if kind == "list":
        return people_list(series)
    return series


_CONSORTIUM_COLUMNS = ("consortium_id", "member_names", "population", "kreis_names",
                       "same_kreis", "shared_border_km", "lead_name",
                       "linked_via_names")
_UNPLACED_COLUMNS = ("name", "kreis_name", "population", "reason")
_PARTNER_COLUMNS = ("rank", "partners", "population", "kreis_names", "shared_border_km",
                    "in_plan", "blocked_by")

#: The planner's own look: labels above full-width inputs in a narrow column, checkbox
#: texts that wrap instead of being cut, the map beside the controls when there is room.
_CSS = """<style>
.wirgeo-planner { max-width: 100%; }
.wirgeo-planner .wirgeo-side { flex: 0 0 310px; min-width: 0; }
.wirgeo-planner .wirgeo-main { flex: 1 1 420px; min-width: 0; }
.wirgeo-planner .wirgeo-label { margin: 6px 0 0; font-weight: 600; line-height: 18px; }
.wirgeo-planner .widget-checkbox { height: auto; }
.wirgeo-planner .widget-checkbox .widget-label-basic,
.wirgeo-planner .widget-checkbox .widget-label-basic span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 18px; }
.wirgeo-planner .widget-checkbox .widget-label-basic { align-items: flex-start; }
.wirgeo-planner .widget-button { overflow: visible; }
.wirgeo-planner .jupyter-widget-tagsinput .widget-text { display: none !important; }
.wirgeo-planner .wirgeo-status p, .wirgeo-planner .wirgeo-edit-status p {
  margin: 2px 0; line-height: 18px; }
.wirgeo-planner .wirgeo-note { color: #6b4e00; background: #fff4d6; padding: 2px 6px; }
.wirgeo-planner .wirgeo-error { color: #b00020; }
.wirgeo-planner .wirgeo-table { font-size: 12px; }
.wirgeo-planner .wirgeo-exports a { color: #0b57d0; text-decoration: underline; }
.wirgeo-planner .wirgeo-table td, .wirgeo-planner .wirgeo-table th { padding: 2px 6px; }
</style>"""


class ConsortiumPlanner:
    """Interactive Verbund planner (ipywidgets and a live Leaflet map).

    Parameters
    ----------
    municipalities : GeoDataFrame, optional
        Default: :func:`wirgeo.load_municipalities` (Hessen from the official sources).
    rules : KivRules, optional
        Starting rules; default ``data/kiv_rules.toml``.
    kreise : list of str, optional
        Kreise selected at start (names or 5-digit keys); none = the whole state.
    out_dir : str or Path, optional
        Where the export buttons write; default ``out/`` (``WIRGEO_OUT`` overrides).
    lang : str, optional
        Language of every label and message (default: the setting,
        :func:`wirgeo.core.i18n.language`; German unless ``WIRGEO_LANG`` says otherwise);
        every control's action speaks it.
    map_height : str
        CSS height of the live map.
    tiles : optional
        Ignored: the live map draws no base map, so it works without internet (the
        exported HTML map has its own).

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``kreise`` (tags) and ``kreise_search`` (type or pick a name), ``within``,
        ``combined_min``, ``max_members``, ``same_kreis``, ``allow_large_partner``,
        ``mutual``, ``include_funded``, ``exclude`` and ``exclude_search``, ``lock``,
        ``lock_apply``, ``partner``, ``export_map``, ``export_table``, ``export_dossier``,
        ``flexibility``.
    run : Planning
        The current planning run (eligibility and optimal plan); the notebook's cells below
        the planner read it.
    live_map : LiveMap
        The map widget.
    editor : PlanEditor
        The planner's own plan document, edited by clicks on the map (hand edits, status,
        undo/redo, complete optimally, save and load).
    table_view, unplaced_view, partner_view, export_view, status, note : ipywidgets.HTML
        What the planner shows; :attr:`widget` lays them out.
    refreshes : int
        How often a control change gave a new run (an error or no change at all do not
        count).
    exports : list of Path
        Every file the export buttons wrote, oldest first.
    seconds : float
        Wall time of the last update (plan and what is sent to the browser).
    """

    def __init__(self, municipalities: gpd.GeoDataFrame | None = None,
                 rules: KivRules | None = None, *, kreise=None, out_dir=None,
                 lang: str | None = None, map_height: str = "460px", tiles=None):
        if municipalities is None:
            from wirgeo import load_municipalities

            municipalities = load_municipalities()
        del tiles  # the live map draws no base map (works offline); kept for old calls
        self.municipalities = municipalities
        self.lang = language(lang)
        with speaking(self.lang):
            self._start(municipalities, rules, kreise, out_dir, map_height)

    def _start(self, municipalities: gpd.GeoDataFrame, rules: KivRules | None, kreise,
               out_dir, map_height: str) -> None:
        self.texts = texts()
        self.base_rules = rules or load_rules()
        self.out_dir = Path(out_dir) if out_dir else _paths.out_dir()
        # contiguity and the curated tables do not depend on the controls: read once (the
        # contiguity from the result cache when this data was planned before)
        self.adjacency = contiguity_of(municipalities)
        self.centres, self.grantees = programme_tables(municipalities)
        self.refreshes = 0
        self.seconds = 0.0
        self.exports: list[Path] = []
        self._runs: OrderedDict[PlannerState, Planning] = OrderedDict()
        self._run: Planning | None = None
        self._flexibility: dict[PlannerState, dict[str, str]] = {}
        self._applied_locks = ""
        self._build_controls(kreise)
        self.status = widgets.HTML()
        self.note = widgets.HTML()
        self.live_map = LiveMap(municipalities, lang=self.lang, height=map_height)
        self.editor = PlanEditor(self)
        self.table_view = widgets.HTML()
        self.unplaced_view = widgets.HTML()
        self.partner_view = widgets.HTML()
        self.export_view = widgets.HTML(f"<p>{html_text(self.texts['no_exports'])}</p>")
        self.lock_status = widgets.HTML()
        self.refresh()
        for name in ("kreise", "within", "combined_min", "max_members", "same_kreis",
                     "allow_large_partner", "mutual", "include_funded", "exclude"):
            self.controls[name].observe(self._changed, names="value")
        for search, tags in (("kreise_search", "kreise"), ("exclude_search", "exclude")):
            self.controls[search].observe(self._picker(search, tags), names="value")
        self.controls["lock_apply"].on_click(lambda _: self.apply_locks())
        self.controls["partner"].observe(self._partner_changed_in_language, names="value")
        self.controls["export_map"].on_click(lambda _: self._export(self.export_map))
        self.controls["export_table"].on_click(lambda _: self._export(self.export_table))
        self.controls["export_dossier"].on_click(lambda _: self._export(self.export_dossier))
        self.controls["flexibility"].on_click(lambda _: self.show_flexibility())
        self.widget = self._layout()

    # ------------------------------------------------------------------ controls

    def _build_controls(self, kreise) -> None:
        mun = self.municipalities
        rules = self.base_rules
        say = self.texts
        kreisfrei = set(mun.loc[mun["status"] == "kreisfreie_stadt", "kreis_ags"])
        pairs = mun.drop_duplicates("kreis_ags")[["kreis_name", "kreis_ags"]]
        self.kreis_keys = {kreis_label(str(n), kreisfrei=k in kreisfrei): k
                           for n, k in pairs.itertuples(index=False, name=None)}
        self.kreis_keys = dict(sorted(self.kreis_keys.items(), key=lambda kv: sort_key(kv[0])))
        by_key = {k: label for label, k in self.kreis_keys.items()}
        selected = resolve_kreise(kreise, mun, argument="kreise")
        small = mun[rules.classify(mun["population"], mun["status"]) == "verbund_needed"]
        self.gemeinde_keys = dict(sorted(
            ((f"{n} ({by_key[k].split(' (')[0]})", a)
             for n, k, a in small[["name", "kreis_ags", "ags"]].itertuples(index=False)),
            key=lambda kv: sort_key(kv[0])))
        full = widgets.Layout(width="100%")
        boxes = {name: widgets.Checkbox(value=value, description=text, indent=False,
                                        layout=full)
                 for name, value, text in (
                     ("within", False, say["within"]),
                     ("same_kreis", rules.same_kreis, say["same_kreis"]),
                     ("allow_large_partner", rules.allow_large_partner,
                      say["allow_large_partner"].format(limit=number(rules.member_below))),
                     ("mutual", rules.contiguity == "mutual", say["mutual"]),
                     ("include_funded", not rules.exclude_funded, say["include_funded"]))}
        self.controls = {
            "kreise": widgets.TagsInput(
                value=[by_key[k] for k in selected], allowed_tags=list(self.kreis_keys),
                allow_duplicates=False, placeholder="", layout=full),
            # typing filters the list; a complete name (typed or picked) becomes a tag
            "kreise_search": widgets.Combobox(
                options=list(self.kreis_keys), ensure_option=False,
                placeholder=say["kreise_placeholder"], layout=full),
            "combined_min": widgets.BoundedIntText(
                value=rules.combined_min, min=0, max=200_000, step=500, layout=full),
            "max_members": widgets.Dropdown(options=[2, 3, 4], value=rules.max_members,
                                            layout=full),
            **boxes,
            "exclude": widgets.TagsInput(
                value=[], allowed_tags=list(self.gemeinde_keys), allow_duplicates=False,
                placeholder="", layout=full),
            "exclude_search": widgets.Combobox(
                options=list(self.gemeinde_keys), ensure_option=False,
                placeholder=say["exclude_placeholder"], layout=full),
            "lock": widgets.Textarea(value="", placeholder=say["lock_placeholder"],
                                     layout=widgets.Layout(width="100%", height="56px")),
            "lock_apply": widgets.Button(description=say["lock_apply"], icon="lock",
                                         layout=widgets.Layout(width="auto")),
            "partner": widgets.Combobox(
                options=sorted(small["name"].unique(), key=sort_key), value="",
                ensure_option=False, placeholder=say["partner_placeholder"],
                description=say["partner"], style={"description_width": "initial"}),
            **{name: widgets.Button(description=say[name], icon=icon,
                                    layout=widgets.Layout(width="auto"))
               for name, icon in (("export_map", "map"), ("export_table", "table"),
                                  ("export_dossier", "file-pdf-o"),
                                  ("flexibility", "random"))},
        }

    def state(self) -> PlannerState:
        """The controls' current values (locks: the text last applied)."""
        c = self.controls
        return PlannerState(
            kreise=tuple(self.kreis_keys[t] for t in c["kreise"].value
                         if t in self.kreis_keys),
            within=bool(c["within"].value), combined_min=int(c["combined_min"].value),
            max_members=int(c["max_members"].value), same_kreis=bool(c["same_kreis"].value),
            allow_large_partner=bool(c["allow_large_partner"].value),
            mutual=bool(c["mutual"].value), include_funded=bool(c["include_funded"].value),
            exclude=tuple(sorted(self.gemeinde_keys[t] for t in c["exclude"].value
                                 if t in self.gemeinde_keys)),
            lock_text=self._applied_locks)

    def request(self, state: PlannerState | None = None) -> PlanningRequest:
        """The planning request the controls describe (names in locks as typed)."""
        state = self.state() if state is None else state
        base = self.base_rules
        overrides = {
            "combined_min": state.combined_min, "max_members": state.max_members,
            "min_members": min(base.min_members, state.max_members),
            "same_kreis": state.same_kreis, "allow_large_partner": state.allow_large_partner,
            "contiguity": "mutual" if state.mutual else "connected",
            "exclude_funded": not state.include_funded}
        return PlanningRequest(base=base, overrides=overrides, kreise=state.kreise,
                               plan_within_kreise=state.within, exclude=state.exclude,
                               locks=parse_locks(state.lock_text))

    def run_for(self, state: PlannerState) -> Planning:
        """The planning run of ``state`` (from the planner's cache when computed before)."""
        run, _cached = self._plan(state)
        return run

    def speaking(self) -> contextlib.AbstractContextManager[str]:
        """The planner's language for a block (every callback speaks it)."""
        return speaking(self.lang)

    @property
    def run(self) -> Planning:
        """The current planning run (eligibility and optimal plan)."""
        if self._run is None:  # pragma: no cover - __init__ computes the first run
            raise RuntimeError("the planner has not computed a plan yet")
        return self._run

    @property
    def rules(self) -> KivRules:
        """The rules of the current plan."""
        return self.run.rules

    @property
    @_in_language
    def summary(self) -> str:
        """The summary line of the current view (and of what it is a view of)."""
        return summary_line(self.run.summary())

    # ------------------------------------------------------------------ updates

    def _changed(self, _change=None) -> None:
        self.refresh()

    def _picker(self, search: str, tags: str):
        """Move a complete name from a search box into its tags (once; then clear it)."""
        def pick(change) -> None:
            name = str(change["new"]).strip()
            box, chosen = self.controls[search], self.controls[tags]
            if name in chosen.allowed_tags:
                if name not in chosen.value:
                    chosen.value = [*chosen.value, name]
                box.value = ""
        return pick

    @_in_language
    def apply_locks(self) -> None:
        """Take the lock text as typed and recompute (the lock button)."""
        previous = self._applied_locks
        self._applied_locks = str(self.controls["lock"].value)
        if not self.refresh():
            self._applied_locks = previous  # a bad lock: the previous plan stays

    def _plan(self, state: PlannerState) -> tuple[Planning, bool]:
        """The run for ``state``, and whether it came from the cache.

        A Kreis selection without "plan within" is a view of the statewide plan: the plan
        is that of the same rules for all Kreise, only the view's Kreise differ.
        """
        key = state.plan_key()
        request = self.request(state)
        cached = self._runs.get(key)
        if cached is None:
            run = self.request(key).run(self.municipalities, adjacency=self.adjacency,
                                        centres=self.centres, grantees=self.grantees)
            self._runs[key] = run
            while len(self._runs) > CACHE_SIZE:
                self._runs.popitem(last=False)
        else:
            self._runs.move_to_end(key)
            run = cached
        view = dataclasses.replace(run, request=request).view(request.kreise)
        return view, cached is not None

    @_in_language
    def refresh(self) -> bool:
        """Recompute the plan from the controls and update map, tables and status.

        Returns False when the setting could not be applied (say, a lock naming an
        unknown municipality): the problem is shown in the status line and the previous
        plan stays on screen.
        """
        started = time.perf_counter()
        state = self.state()
        try:
            run, cached = self._plan(state)
        except WirgeoError as exc:
            if self._run is None:  # the starting rules themselves are wrong: say so loudly
                raise
            self.note.value = (f'<p class="wirgeo-error"><b>{self.texts["not_applied"]}:'
                               f"</b> {html_text(_message(exc))}</p>")
            return False
        previous, self._run = self._run, run
        self.refreshes += 1
        if self.editor.document is not None:
            self.editor.refresh()        # the own plan, checked under the new rules
        else:
            self.live_map.show(run, run.kreise)
        self._tables()
        self._status(cached, previous)
        self._partner_changed()
        self.lock_status.value = self._lock_line()
        self.seconds = time.perf_counter() - started
        self._status(cached, previous)  # now with the time of the whole update
        return True

    def _tables(self) -> None:
        say = self.texts
        run = self.run
        consortia = run.consortia.sort_values("consortium_id")
        flexibility = self._flexibility.get(self.state().plan_key())
        extra = {}
        if flexibility is not None:  # labels of the codes from the vocabulary
            extra[say["flexibility_header"]] = consortia["consortium_id"].map(
                lambda cid: FLEXIBILITY.label(flexibility[cid]) if cid in flexibility else "")
        table = _table_html(consortia, _CONSORTIUM_COLUMNS, extra=extra)
        self.table_view.value = (
            f'<h4 class="wirgeo-count">{html_text(say["consortia"])} ('
            f"{number(len(consortia))})</h4>" + table)
        self.unplaced_view.value = (
            f"<h4>{html_text(say['unplaced'])} ({number(len(run.unplaced))})</h4>"
            + _table_html(with_reasons(run.unplaced), _UNPLACED_COLUMNS))

    def _status(self, cached: bool, previous: Planning | None) -> None:
        say = self.texts
        run = self.run
        what = (say["within_what"].format(kreise=", ".join(run.kreis_names()))
                if run.within_kreise else say["statewide"])
        seconds = decimal(self.seconds if cached else max(self.seconds, run.plan.seconds),
                          digits=2)
        done = say["cached" if cached else "computed"].format(what=what, seconds=seconds)
        proof = (say["proven"] if run.plan.status == "optimal" else
                 say["not_proven"].format(gap=decimal(100 * (run.plan.gap or 0), digits=2)))
        self.status.value = (f"<p><b>{html_text(self.summary)}</b></p>"
                             f"<p>{html_text(done)} · {html_text(proof)}</p>"
                             f"<p>{html_text(describe_rules(run.rules))}"
                             f"{html_text(self._choices())}</p>")
        self.note.value = self._change_note(previous)

    def _choices(self) -> str:
        """The run's exclusions and locks, named, after the rules."""
        rules = self.run.rules
        names = self.municipalities.set_index("ags")["name"]
        parts = []
        if rules.exclude:
            parts.append(self.texts["excluded"].format(
                names=", ".join(str(names.get(a, a)) for a in rules.exclude)))
        if rules.lock:
            parts.append(self.texts["locked"].format(groups="; ".join(
                ", ".join(str(names.get(a, a)) for a in group) for group in rules.lock)))
        return "".join(f" {p}." for p in parts)

    def _change_note(self, previous: Planning | None) -> str:
        """A visible note when a change left the plan as it was."""
        if previous is None:
            return ""
        if _signature(previous) != _signature(self.run):
            return ""
        text = (self.texts["view_only"] if previous.kreise != self.run.kreise
                else self.texts["unchanged"])
        return f'<p class="wirgeo-note">{html_text(text)}</p>'

    def _lock_line(self) -> str:
        locks = self.run.rules.lock
        if not locks:
            return ""
        return f"<p>{html_text(self.texts['locks_applied'].format(count=len(locks)))}</p>"

    @_in_language
    def _partner_changed_in_language(self, _change=None) -> None:
        self._partner_changed(_change)

    def _partner_changed(self, _change=None) -> None:
        name = str(self.controls["partner"].value).strip()
        if not name:
            self.partner_view.value = ""
            return
        self.partner_view.value = self.partners_html(name)

    @_in_language
    def partners_html(self, name_or_ags: str) -> str:
        """Every feasible Verbund of one municipality under the current rules, as HTML."""
        try:
            table = partners_for(name_or_ags, self.municipalities, self.rules,
                                 plan=self.run.plan)
        except WirgeoError as exc:
            return f'<p class="wirgeo-error">{html_text(_message(exc))}</p>'
        reason = reason_text(table.attrs.get("reason_code", ""),
                             table.attrs.get("reason_figures", {}))
        head = (f"<p><b>{html_text(table.attrs.get('name', name_or_ags))}</b>: "
                f"{html_text(reason)}</p>")
        if table.empty:
            return head + f"<p>{html_text(self.texts['no_partner'])}</p>"
        return head + _table_html(table, _PARTNER_COLUMNS, limit=50)

    @_in_language
    def show_flexibility(self) -> None:
        """Mark each Verbund of the current plan firm or flexible (on demand: seconds).

        :meth:`wirgeo.planning.Planning.flexibility` is exact but takes seconds statewide,
        so it runs only when asked; the answer is kept with the plan's setting.
        """
        started = time.perf_counter()
        flex = self.run.flexibility()
        self._flexibility[self.state().plan_key()] = dict(zip(
            flex.consortia["consortium_id"], flex.consortia["flexibility"], strict=True))
        self._tables()
        seconds = decimal(time.perf_counter() - started, digits=1)
        self.note.value = ("<p>" + html_text(self.texts["flexibility_done"].format(
            line=flexibility_summary(flex), seconds=seconds)) + "</p>")

    # ------------------------------------------------------------------ exports

    def export_name(self, suffix: str, *, stamp: dt.datetime | None = None,
                    prefix: str = "planer") -> Path:
        """A file name in :attr:`out_dir` of its own: the rules and the time in it.

        ``planer_20261201-2310_min10000_max3_06535.xlsx``: minimum population, maximum
        members, then what differs from the defaults (``kreis``, ``gross``, ``angrenzend``,
        ``gefoerdert``, ``ohne<n>``, ``fest<n>``, ``innerhalb``) and the selected Kreise.
        A second export in the same minute gets ``-2``, ``-3``, … .
        """
        rules = self.run.rules
        parts = [prefix, (stamp or dt.datetime.now()).strftime("%Y%m%d-%H%M"),
                 f"min{rules.combined_min}", f"max{rules.max_members}"]
        parts += [word for flag, word in (
            (rules.same_kreis, "kreis"), (rules.allow_large_partner, "gross"),
            (rules.contiguity == "mutual", "angrenzend"),
            (not rules.exclude_funded, "gefoerdert"), (self.run.within_kreise, "innerhalb"))
            if flag]
        parts += [f"ohne{len(rules.exclude)}"] if rules.exclude else []
        parts += [f"fest{len(rules.lock)}"] if rules.lock else []
        parts += list(self.run.kreise)
        stem = "_".join(parts)
        path = self.out_dir / f"{stem}{suffix}"
        n = 2
        while path.exists() or path in self.exports:
            path = self.out_dir / f"{stem}-{n}{suffix}"
            n += 1
        return path

    @_in_language
    def export_map(self, path: str | Path | None = None) -> Path:
        """Write the current map as a standalone HTML file (the folium map of maps).

        While the own plan is edited, the map of that document
        (:func:`wirgeo.maps.document_map`: statuses, invalid Verbünde, declined Gemeinden).
        """
        path = Path(path) if path else self.export_name(".html")
        run = self.run
        if self.editor.check is not None:  # the own plan being edited, with its statuses
            return self._wrote(maps.save_map(maps.document_map(
                self.editor.check, self.municipalities), path))
        page = maps.planning_map(run, kreise=run.kreise)
        return self._wrote(maps.save_map(page, path))

    @_in_language
    def export_table(self, path: str | Path | None = None) -> Path:
        """Write the current plan as an Excel workbook (Verbünde, Gemeinden, run)."""
        path = Path(path) if path else self.export_name(".xlsx")
        return self._wrote(write_plan_workbook(self.run, path))

    @_in_language
    def export_dossier(self, path: str | Path | None = None) -> Path:
        """Write the Dossier (PDF) of the one selected Landkreis.

        Raises
        ------
        ArgumentError
            Not exactly one Landkreis is selected.
        """
        kreise = self.run.kreise
        statewide = self.run.statewide(adjacency=self.adjacency)
        landkreise = dict(dossier.landkreise(statewide))
        if len(kreise) != 1 or kreise[0] not in landkreise:
            raise ArgumentError("kreise", self.texts["dossier_needs_kreis"],
                                fix=_("choose one, e.g. {examples}").format(
                                    examples=", ".join(list(self.kreis_keys)[:3]) + ", …"))
        path = Path(path) if path else self.export_name(
            ".pdf", prefix="dossier_" + dossier.file_name(kreise[0], landkreise[kreise[0]])
            .removesuffix(".pdf"))
        return self._wrote(dossier.write(statewide, kreise[0], path))

    @_in_language
    def _export(self, export) -> None:
        """A button's export; an error is shown in the export list, never raised."""
        try:
            export()
        except WirgeoError as exc:
            self.export_view.value = (f'<p class="wirgeo-error">'
                                      f"{html_text(_message(exc))}</p>"
                                      + self._export_list())

    def _wrote(self, path: Path) -> Path:
        self.exports.append(path)
        self.export_view.value = self._export_list()
        return path

    def _export_list(self) -> str:
        """Every file written so far, newest first, as links the notebook can open."""
        if not self.exports:
            return f"<p>{html_text(self.texts['no_exports'])}</p>"
        items = "".join(f'<li><a href="{html_text(_link(p))}" target="_blank">'
                        f"{html_text(p.name)}</a></li>" for p in reversed(self.exports))
        return (f'<div class="wirgeo-exports"><p>{html_text(self.texts["wrote"])} '
                f"({html_text(str(self.out_dir))}):</p><ul>{items}</ul></div>")

    # ------------------------------------------------------------------ layout

    def _labelled(self, key: str, widget: widgets.Widget) -> widgets.Widget:
        return widgets.VBox([widgets.HTML(f'<div class="wirgeo-label">'
                                          f"{html_text(self.texts[key])}</div>"), widget])

    def _layout(self) -> widgets.Widget:
        c = self.controls
        side = widgets.VBox([
            self._labelled("kreise", c["kreise_search"]), c["kreise"], c["within"],
            self._labelled("combined_min", c["combined_min"]),
            self._labelled("max_members", c["max_members"]),
            c["same_kreis"], c["allow_large_partner"], c["mutual"], c["include_funded"],
            self._labelled("exclude", c["exclude_search"]), c["exclude"],
            self._labelled("lock", c["lock"]),
            widgets.HBox([c["lock_apply"], self.lock_status]),
            self._labelled("exports_heading", widgets.HBox(
                [c["export_map"], c["export_table"], c["export_dossier"]],
                layout=widgets.Layout(flex_flow="row wrap"))),
        ])
        side.add_class("wirgeo-side")
        c["kreise_search"].add_class("wirgeo-kreise-search")
        c["exclude_search"].add_class("wirgeo-exclude-search")
        self.status.add_class("wirgeo-status")
        main = widgets.VBox([self.status, self.note, self.live_map, self.editor.view])
        main.add_class("wirgeo-main")
        tabs = widgets.Tab(children=[
            widgets.VBox([c["flexibility"], self.table_view]), self.unplaced_view,
            widgets.VBox([c["partner"], self.partner_view]), self.export_view])
        for i, key in enumerate(("tab_consortia", "tab_unplaced", "tab_partners",
                                 "tab_exports")):
            tabs.set_title(i, self.texts[key])
        top = widgets.HBox([side, main], layout=widgets.Layout(flex_flow="row wrap",
                                                               width="100%"))
        root = widgets.VBox([widgets.HTML(_CSS), top, tabs])
        root.add_class("wirgeo-planner")
        return root

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _signature(run: Planning) -> frozenset[tuple[str, ...]]:
    """What makes two plans the same: their Verbünde, by members."""
    return frozenset(run.plan.consortia["member_ags"])


def _link(path: Path) -> str:
    """A link the notebook can follow: relative to the kernel's folder where possible."""
    try:
        return Path(os.path.relpath(path, Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_uri()


#: The control that carries each argument a planning error may name.
_CONTROLS = {"kreise": "kreise", "exclude": "exclude", "locks": "lock", "overrides": "rules"}


def _message(exc: WirgeoError) -> str:
    """The error as the planner says it: the control instead of the Python argument."""
    if isinstance(exc, ArgumentError) and exc.argument in _CONTROLS:
        return exc.render(texts()[_CONTROLS[exc.argument]])
    return str(exc)
