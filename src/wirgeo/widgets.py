"""The consortium planner for JupyterLab: rule controls, map and table that follow them.

:class:`ConsortiumPlanner` puts the KIV rules a planner may want to vary (minimum combined
population, maximum members, same Kreis, a large partner, mutual adjacency, funded
municipalities) next to a Kreis selection, exclusions and locked consortia. Every change
recomputes the optimal plan (a :class:`wirgeo.planning.PlanningRequest` built from the
controls) and redraws the planning map
and the consortium table. A partner lookup answers "with whom could we apply?", and two
buttons export the current map (HTML) and tables (Excel) to ``out/``.

A Kreis selection is a view of the statewide plan (the same Verbünde, ids and reasons as
for all of Hessen); planning only among the selected Kreise is a checkbox of its own. Every
label, message and table speaks the planner's language (``lang=``, German by default).
The map and tables are shown as HTML widgets, so the planner works the same in JupyterLab
and when driven from Python (the tests set control values and read the widgets).

Examples
--------
>>> from wirgeo.widgets import ConsortiumPlanner
>>> planner = ConsortiumPlanner(kreise=["Vogelsbergkreis"], tiles=None)
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

import html
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import ipywidgets as widgets
import pandas as pd

from wirgeo import maps
from wirgeo.adjacency import contiguity
from wirgeo.consortia import partners_for
from wirgeo.core import paths as _paths
from wirgeo.core.i18n import decimal, language, number
from wirgeo.errors import ArgumentError, WirgeoError
from wirgeo.exports import write_plan_workbook
from wirgeo.exports.sheets import COLUMNS, yes_no
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning, PlanningRequest, RunRecord, parse_locks
from wirgeo.programme import programme_tables
from wirgeo.rules import KivRules, load_rules

__all__ = ["ConsortiumPlanner", "PlannerState"]


@dataclass(frozen=True)
class PlannerState:
    """What the controls say, as plain values (see :meth:`ConsortiumPlanner.state`)."""

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


def _table_html(frame: pd.DataFrame, columns: tuple[str, ...], lang: str, *,
                limit: int = 400) -> str:
    """An escaped HTML table with the columns' headers in ``lang`` (:data:`COLUMNS`)."""
    shown = pd.DataFrame({COLUMNS[c].header(lang): _cells(frame[c], c, lang)
                          for c in columns}).head(limit)
    more = ""
    if len(frame) > limit:
        more = (f"<p>… {number(len(frame) - limit, lang)} weitere Zeilen im Excel-Export."
                "</p>" if lang == "de" else
                f"<p>… {number(len(frame) - limit, lang)} more rows in the Excel export.</p>")
    return shown.to_html(index=False, escape=True, border=0,
                         classes="wirgeo-table", na_rep="") + more


def _cells(series: pd.Series, column: str, lang: str) -> pd.Series:
    kind = COLUMNS[column].kind
    if kind == "int":
        return series.map(lambda v: number(v, lang))
    if kind == "km":
        return series.map(lambda v: decimal(v, lang))
    if kind == "bool":
        return series.map(lambda v: yes_no(v, lang))
    if kind == "list":
        return series.fillna("").astype(str).str.replace(";", ", ")
    return series


_CONSORTIUM_COLUMNS = ("consortium_id", "member_names", "population", "kreis_names",
                       "same_kreis", "shared_border_km", "lead_name", "linked_via_names")
_UNPLACED_COLUMNS = ("name", "kreis_name", "population", "reason")
_PARTNER_COLUMNS = ("rank", "partners", "population", "kreis_names", "shared_border_km",
                    "in_plan", "blocked_by")

#: Every text of the planner, per language.
TEXTS = {
    "de": {
        "kreise": "Kreise (keine = alle)", "within": "nur innerhalb der Kreise planen",
        "combined_min": "Mindesteinwohner zusammen", "max_members": "Höchstzahl Mitglieder",
        "same_kreis": "alle Mitglieder in einem Kreis",
        "allow_large_partner": "ein Partner darf {limit} Einwohner oder mehr haben",
        "mutual": "alle Mitglieder grenzen aneinander",
        "include_funded": "auch bereits geförderte Gemeinden planen",
        "exclude": "Ausschließen", "lock": "Verbünde festlegen",
        "lock_placeholder": "ein Verbund je Zeile: Namen oder AGS, durch Komma getrennt",
        "partner": "Partner für", "partner_placeholder": "Name oder AGS",
        "export_map": "Karte exportieren (HTML)", "export_table": "Tabellen exportieren (Excel)",
        "tab_consortia": "Verbünde", "tab_partners": "Partnersuche",
        "consortia": "Vorgeschlagene Verbünde", "unplaced": "Kleine Gemeinden ohne Verbund",
        "not_applied": "Nicht übernommen", "solved": "berechnet in {seconds} s",
        "no_partner": "Kein möglicher Verbund unter diesen Regeln.", "wrote": "geschrieben",
        "rules": "Regeln",
    },
    "en": {
        "kreise": "Kreise (none = all)", "within": "plan only within the Kreise",
        "combined_min": "Minimum combined population", "max_members": "Maximum members",
        "same_kreis": "All members in one Kreis",
        "allow_large_partner": "One partner may have {limit}+ inhabitants",
        "mutual": "Every pair of members must border",
        "include_funded": "Plan funded municipalities too",
        "exclude": "Exclude", "lock": "Lock consortia",
        "lock_placeholder": "one consortium per line: names or AGS, comma-separated",
        "partner": "Partners for", "partner_placeholder": "name or AGS",
        "export_map": "Export map (HTML)", "export_table": "Export tables (Excel)",
        "tab_consortia": "Consortia", "tab_partners": "Partner lookup",
        "consortia": "Suggested consortia", "unplaced": "Small municipalities without a "
                                                        "consortium",
        "not_applied": "Not applied", "solved": "solved in {seconds} s",
        "no_partner": "No feasible consortium under these rules.", "wrote": "wrote",
        "rules": "Rules",
    },
}


class ConsortiumPlanner:
    """Interactive Verbund planner (ipywidgets) on the joined municipalities.

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
    tiles : str or None
        Base map of the planning map (None: no tiles).
    lang : str, optional
        Language of every label and message (default
        :func:`wirgeo.core.i18n.language`: German unless ``WIRGEO_LANG`` says otherwise).

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``kreise``, ``within``, ``combined_min``, ``max_members``, ``same_kreis``,
        ``allow_large_partner``, ``mutual``, ``include_funded``, ``exclude``, ``lock``,
        ``partner``, ``export_map``, ``export_table``.
    run : Planning
        The current planning run (eligibility and optimal plan).
    map_view, table_view, partner_view, status : ipywidgets.HTML
        What the planner shows; :attr:`widget` lays them out.
    refreshes : int
        How often the plan was recomputed (each control change is one).
    """

    def __init__(self, municipalities: gpd.GeoDataFrame | None = None,
                 rules: KivRules | None = None, *, kreise=None, out_dir=None,
                 tiles: str | None = "OpenStreetMap", lang: str | None = None):
        if municipalities is None:
            from wirgeo import load_municipalities

            municipalities = load_municipalities()
        self.municipalities = municipalities
        self.lang = language(lang)
        self.texts = TEXTS[self.lang]
        self.base_rules = rules or load_rules()
        self.out_dir = Path(out_dir) if out_dir else _paths.out_dir()
        self.tiles = tiles
        # contiguity and the curated tables do not depend on the controls: read once
        self.adjacency = contiguity(municipalities)
        self.centres, self.grantees = programme_tables(municipalities)
        self.refreshes = 0
        self._run: Planning | None = None
        self._build_controls(kreise)
        self.status = widgets.HTML()
        self.map_view = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.table_view = widgets.HTML()
        self.partner_view = widgets.HTML()
        self.export_view = widgets.HTML()
        self.refresh()
        for name in ("kreise", "within", "combined_min", "max_members", "same_kreis",
                     "allow_large_partner", "mutual", "include_funded", "exclude"):
            self.controls[name].observe(self._changed, names="value")
        self.controls["lock"].observe(self._changed, names="value")
        self.controls["partner"].observe(self._partner_changed, names="value")
        self.controls["export_map"].on_click(lambda _: self.export_map())
        self.controls["export_table"].on_click(lambda _: self.export_table())
        self.widget = self._layout()

    # ------------------------------------------------------------------ controls

    def _build_controls(self, kreise) -> None:
        mun = self.municipalities
        rules = self.base_rules
        say = self.texts
        kreis_options = sorted(mun.drop_duplicates("kreis_ags")[["kreis_name", "kreis_ags"]]
                               .itertuples(index=False, name=None))
        selected = resolve_kreise(kreise, mun, argument="kreise")
        small = mun[rules.classify(mun["population"], mun["status"]) == "verbund_needed"]
        exclude_options = sorted((f"{n} ({k})", a) for n, k, a in
                                 small[["name", "kreis_name", "ags"]].itertuples(index=False))
        wide = {"description_width": "initial"}
        auto = widgets.Layout(width="auto")
        self.controls = {
            "kreise": widgets.SelectMultiple(
                options=kreis_options, value=selected, rows=8, description=say["kreise"],
                style=wide),
            "within": widgets.Checkbox(value=False, description=say["within"], indent=False,
                                       layout=auto),
            "combined_min": widgets.BoundedIntText(
                value=rules.combined_min, min=0, max=200_000, step=500,
                description=say["combined_min"], style=wide),
            "max_members": widgets.Dropdown(
                options=[2, 3, 4], value=rules.max_members, description=say["max_members"],
                style=wide),
            "same_kreis": widgets.Checkbox(
                value=rules.same_kreis, description=say["same_kreis"], indent=False,
                layout=auto),
            "allow_large_partner": widgets.Checkbox(
                value=rules.allow_large_partner,
                description=say["allow_large_partner"].format(
                    limit=number(rules.member_below, self.lang)),
                indent=False, layout=auto),
            "mutual": widgets.Checkbox(
                value=rules.contiguity == "mutual", description=say["mutual"], indent=False,
                layout=auto),
            "include_funded": widgets.Checkbox(
                value=not rules.exclude_funded, description=say["include_funded"],
                indent=False, layout=auto),
            "exclude": widgets.SelectMultiple(
                options=exclude_options, value=(), rows=6, description=say["exclude"],
                style=wide),
            "lock": widgets.Textarea(
                value="", placeholder=say["lock_placeholder"], description=say["lock"],
                style=wide, layout=widgets.Layout(width="420px", height="70px")),
            "partner": widgets.Combobox(
                options=sorted(small["name"].unique()), value="", ensure_option=False,
                placeholder=say["partner_placeholder"], description=say["partner"],
                style=wide),
            "export_map": widgets.Button(description=say["export_map"], icon="map",
                                         layout=auto),
            "export_table": widgets.Button(description=say["export_table"], icon="table",
                                           layout=auto),
        }

    def state(self) -> PlannerState:
        """The controls' current values."""
        c = self.controls
        return PlannerState(
            kreise=tuple(c["kreise"].value), within=bool(c["within"].value),
            combined_min=int(c["combined_min"].value),
            max_members=int(c["max_members"].value), same_kreis=bool(c["same_kreis"].value),
            allow_large_partner=bool(c["allow_large_partner"].value),
            mutual=bool(c["mutual"].value), include_funded=bool(c["include_funded"].value),
            exclude=tuple(c["exclude"].value), lock_text=str(c["lock"].value))

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
                               locks=parse_locks(state.lock_text), lang=self.lang)

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
    def summary(self) -> str:
        """The summary line of the current view (and of what it is a view of)."""
        return self.run.summary_line()

    # ------------------------------------------------------------------ updates

    def _changed(self, _change=None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the plan from the controls and redraw map, table and status.

        A contradictory setting (say, a lock naming an unknown municipality) is shown in
        the status line; the previous plan stays on screen.
        """
        state = self.state()
        try:
            run = self.request(state).run(self.municipalities, adjacency=self.adjacency,
                                          centres=self.centres, grantees=self.grantees)
        except WirgeoError as exc:
            if self._run is None:  # the starting rules themselves are wrong: say so loudly
                raise
            self.status.value = (f'<p style="color:#b00020"><b>{self.texts["not_applied"]}:'
                                 f"</b> {html.escape(_message(exc, self.lang))}</p>")
            return
        self._run = run
        self.refreshes += 1
        self.map = maps.planning_map(self.municipalities, kreise=state.kreise,
                                     tiles=self.tiles, lang=self.lang,
                                     record=RunRecord.of(run), **run.map_tables())
        self.map_view.value = self.map._repr_html_()
        consortia = run.consortia.sort_values("consortium_id")
        say = self.texts
        self.table_view.value = (
            f"<h4>{say['consortia']} ({number(len(consortia), self.lang)})</h4>"
            + _table_html(consortia, _CONSORTIUM_COLUMNS, self.lang)
            + f"<h4>{say['unplaced']} ({number(len(run.unplaced), self.lang)})</h4>"
            + _table_html(run.unplaced, _UNPLACED_COLUMNS, self.lang))
        seconds = decimal(run.plan.seconds, self.lang, 2)
        self.status.value = (f"<p><b>{html.escape(self.summary)}</b> — "
                             f"{say['solved'].format(seconds=seconds)}<br>"
                             f"{html.escape(run.rules.describe(self.lang))}</p>")
        self._partner_changed()

    def _partner_changed(self, _change=None) -> None:
        name = str(self.controls["partner"].value).strip()
        if not name:
            self.partner_view.value = ""
            return
        self.partner_view.value = self.partners_html(name)

    def partners_html(self, name_or_ags: str) -> str:
        """Every feasible Verbund of one municipality under the current rules, as HTML."""
        try:
            table = partners_for(name_or_ags, self.municipalities, self.rules,
                                 plan=self.run.plan)
        except WirgeoError as exc:
            return f'<p style="color:#b00020">{html.escape(_message(exc, self.lang))}</p>'
        head = (f"<p><b>{html.escape(table.attrs.get('name', name_or_ags))}</b>: "
                f"{html.escape(table.attrs.get('reason', ''))}</p>")
        if table.empty:
            return head + f"<p>{self.texts['no_partner']}</p>"
        return head + _table_html(table, _PARTNER_COLUMNS, self.lang, limit=50)

    # ------------------------------------------------------------------ exports

    def export_map(self, path: str | Path | None = None) -> Path:
        """Write the current map as a standalone HTML file (default ``out/``)."""
        path = Path(path) if path else self.out_dir / "consortium_planner_map.html"
        written = maps.save_map(self.map, path)
        self.export_view.value = f"<p>{self.texts['wrote']} {html.escape(str(written))}</p>"
        return written

    def export_table(self, path: str | Path | None = None) -> Path:
        """Write the current plan as an Excel workbook (Verbünde, Gemeinden, rules)."""
        path = Path(path) if path else self.out_dir / "consortium_planner.xlsx"
        written = write_plan_workbook(self.run, path)
        self.export_view.value = f"<p>{self.texts['wrote']} {html.escape(str(written))}</p>"
        return written

    # ------------------------------------------------------------------ layout

    def _layout(self) -> widgets.Widget:
        c = self.controls
        rules_box = widgets.VBox([c["combined_min"], c["max_members"], c["same_kreis"],
                                  c["allow_large_partner"], c["mutual"], c["include_funded"]])
        controls = widgets.HBox([widgets.VBox([c["kreise"], c["within"]]), rules_box,
                                 widgets.VBox([c["exclude"], c["lock"]])])
        tabs = widgets.Tab(children=[self.table_view,
                                     widgets.VBox([c["partner"], self.partner_view])])
        tabs.set_title(0, self.texts["tab_consortia"])
        tabs.set_title(1, self.texts["tab_partners"])
        buttons = widgets.HBox([c["export_map"], c["export_table"], self.export_view])
        return widgets.VBox([controls, self.status, self.map_view, tabs, buttons])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


#: The control that carries each argument a planning error may name.
_CONTROLS = {"kreise": "kreise", "exclude": "exclude", "locks": "lock", "overrides": "rules"}


def _message(exc: WirgeoError, lang: str) -> str:
    """The error as the planner says it: the control instead of the Python argument."""
    if isinstance(exc, ArgumentError) and exc.argument in _CONTROLS:
        return exc.render(TEXTS[lang][_CONTROLS[exc.argument]])
    return str(exc)
