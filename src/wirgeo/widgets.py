"""The consortium planner for JupyterLab: rule controls, map and table that follow them.

:class:`ConsortiumPlanner` puts the KIV rules a planner may want to vary (minimum combined
population, maximum members, same Kreis, a large partner, mutual adjacency, funded
municipalities) next to a Kreis selection, exclusions and locked consortia. Every change
recomputes the optimal plan (a :class:`wirgeo.planning.PlanningRequest` built from the
controls) and redraws the planning map
and the consortium table. A partner lookup answers "with whom could we apply?", and two
buttons export the current map (HTML) and tables (Excel) to ``out/``.

The map and tables are shown as HTML widgets, so the planner works the same in JupyterLab
and when driven from Python (the tests set control values and read the widgets).

Examples
--------
>>> from wirgeo.widgets import ConsortiumPlanner
>>> planner = ConsortiumPlanner(kreise=["Vogelsbergkreis"])
>>> planner.summary
'covered 12 of 16 small municipalities in 4 consortia (optimal)'
>>> planner.controls["max_members"].value = 2
>>> planner.rules.max_members, planner.summary
(2, 'covered 6 of 16 small municipalities in 3 consortia (optimal)')
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
from wirgeo.errors import ArgumentError, WirgeoError
from wirgeo.exports import write_plan_workbook
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning, PlanningRequest, parse_locks
from wirgeo.programme import programme_tables
from wirgeo.rules import KivRules, load_rules

__all__ = ["ConsortiumPlanner", "PlannerState"]


@dataclass(frozen=True)
class PlannerState:
    """What the controls say, as plain values (see :meth:`ConsortiumPlanner.state`)."""

    kreise: tuple[str, ...]
    combined_min: int
    max_members: int
    same_kreis: bool
    allow_large_partner: bool
    mutual: bool
    include_funded: bool
    exclude: tuple[str, ...]
    lock_text: str


def _table_html(frame: pd.DataFrame, columns: dict[str, str], *, limit: int = 400) -> str:
    """An escaped HTML table (pandas escapes cell text; captions are ours)."""
    shown = frame[list(columns)].rename(columns=columns).head(limit)
    more = (f"<p>… {len(frame) - limit} more rows in the Excel export.</p>"
            if len(frame) > limit else "")
    return shown.to_html(index=False, escape=True, border=0,
                         classes="wirgeo-table", na_rep="") + more


_CONSORTIUM_COLUMNS = {"consortium_id": "Verbund", "member_names": "Members",
                       "population": "Population", "kreis_names": "Kreis",
                       "same_kreis": "One Kreis", "shared_border_km": "Shared border (km)"}
_UNPLACED_COLUMNS = {"name": "Gemeinde", "kreis_name": "Kreis", "population": "Population",
                     "reason": "Why no Verbund"}
_PARTNER_COLUMNS = {"rank": "#", "partners": "Partners", "population": "Population",
                    "kreis_names": "Kreis", "shared_border_km": "Shared border (km)",
                    "in_plan": "In the plan", "blocked_by": "Taken by"}


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

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``kreise``, ``combined_min``, ``max_members``, ``same_kreis``,
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
                 tiles: str | None = "OpenStreetMap"):
        if municipalities is None:
            from wirgeo import load_municipalities

            municipalities = load_municipalities()
        self.municipalities = municipalities
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
        for name in ("kreise", "combined_min", "max_members", "same_kreis",
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
                options=kreis_options, value=selected, rows=8,
                description="Kreise (none = all)", style=wide),
            "combined_min": widgets.BoundedIntText(
                value=rules.combined_min, min=0, max=200_000, step=500,
                description="Minimum combined population", style=wide),
            "max_members": widgets.Dropdown(
                options=[2, 3, 4], value=rules.max_members,
                description="Maximum members", style=wide),
            "same_kreis": widgets.Checkbox(
                value=rules.same_kreis, description="All members in one Kreis",
                indent=False, layout=auto),
            "allow_large_partner": widgets.Checkbox(
                value=rules.allow_large_partner,
                description=f"One partner may have {rules.member_below:,}+ inhabitants",
                indent=False, layout=auto),
            "mutual": widgets.Checkbox(
                value=rules.contiguity == "mutual",
                description="Every pair of members must border", indent=False, layout=auto),
            "include_funded": widgets.Checkbox(
                value=not rules.exclude_funded, description="Plan funded municipalities too",
                indent=False, layout=auto),
            "exclude": widgets.SelectMultiple(
                options=exclude_options, value=(), rows=6,
                description="Exclude", style=wide),
            "lock": widgets.Textarea(
                value="", placeholder="one Verbund per line: names or AGS, comma-separated",
                description="Lock Verbünde", style=wide,
                layout=widgets.Layout(width="420px", height="70px")),
            "partner": widgets.Combobox(
                options=sorted(small["name"].unique()), value="", ensure_option=False,
                placeholder="name or AGS", description="Partners for", style=wide),
            "export_map": widgets.Button(description="Export map (HTML)", icon="map",
                                         layout=auto),
            "export_table": widgets.Button(description="Export table (Excel)",
                                           icon="table", layout=auto),
        }

    def state(self) -> PlannerState:
        """The controls' current values."""
        c = self.controls
        return PlannerState(
            kreise=tuple(c["kreise"].value), combined_min=int(c["combined_min"].value),
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
                               plan_within_kreise=True, exclude=state.exclude,
                               locks=parse_locks(state.lock_text))

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
        """The plan's summary line."""
        return self.run.plan.summary_line()

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
            self.status.value = (f'<p style="color:#b00020"><b>Not applied:</b> '
                                 f"{html.escape(_message(exc))}</p>")
            return
        rules = run.rules
        self._run = run
        self.refreshes += 1
        self.map = maps.planning_map(self.municipalities, kreise=state.kreise,
                                     tiles=self.tiles, **run.map_tables())
        self.map_view.value = self.map._repr_html_()
        consortia = run.plan.consortia.sort_values("consortium_id")
        self.table_view.value = (
            f"<h4>Suggested Verbünde ({len(consortia)})</h4>"
            + _table_html(consortia.assign(member_names=consortia["member_names"]
                                           .str.replace(";", ", ")), _CONSORTIUM_COLUMNS)
            + f"<h4>Small municipalities without a Verbund ({len(run.unplaced)})</h4>"
            + _table_html(run.unplaced, _UNPLACED_COLUMNS))
        self.status.value = (f"<p><b>{html.escape(self.summary)}</b> — solved in "
                             f"{run.plan.seconds:.2f} s<br>{html.escape(rules.describe())}</p>")
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
            return f'<p style="color:#b00020">{html.escape(str(exc))}</p>'
        head = (f"<p><b>{html.escape(table.attrs.get('name', name_or_ags))}</b>: "
                f"{html.escape(table.attrs.get('reason', ''))}</p>")
        if table.empty:
            return head + "<p>No feasible Verbund under these rules.</p>"
        shown = table.assign(partners=table["partners"].str.replace(";", ", "),
                             in_plan=table["in_plan"].map({True: "✔", False: ""}))
        return head + _table_html(shown, _PARTNER_COLUMNS, limit=50)

    # ------------------------------------------------------------------ exports

    def export_map(self, path: str | Path | None = None) -> Path:
        """Write the current map as a standalone HTML file (default ``out/``)."""
        path = Path(path) if path else self.out_dir / "consortium_planner_map.html"
        written = maps.save_map(self.map, path)
        self.export_view.value = f"<p>wrote {html.escape(str(written))}</p>"
        return written

    def export_table(self, path: str | Path | None = None) -> Path:
        """Write the current plan as an Excel workbook (Verbünde, Gemeinden, rules)."""
        path = Path(path) if path else self.out_dir / "consortium_planner.xlsx"
        written = write_plan_workbook(self.run, path)
        self.export_view.value = f"<p>wrote {html.escape(str(written))}</p>"
        return written

    # ------------------------------------------------------------------ layout

    def _layout(self) -> widgets.Widget:
        c = self.controls
        rules_box = widgets.VBox([c["combined_min"], c["max_members"], c["same_kreis"],
                                  c["allow_large_partner"], c["mutual"], c["include_funded"]])
        controls = widgets.HBox([c["kreise"], rules_box,
                                 widgets.VBox([c["exclude"], c["lock"]])])
        tabs = widgets.Tab(children=[self.table_view,
                                     widgets.VBox([c["partner"], self.partner_view])])
        tabs.set_title(0, "Verbünde")
        tabs.set_title(1, "Partner lookup")
        buttons = widgets.HBox([c["export_map"], c["export_table"], self.export_view])
        return widgets.VBox([controls, self.status, self.map_view, tabs, buttons])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


#: The control that carries each argument a planning error may name.
_CONTROLS = {"kreise": "Kreise", "exclude": "Exclude", "locks": "Lock Verbünde",
             "overrides": "Rules"}


def _message(exc: WirgeoError) -> str:
    """The error as the planner says it: the control instead of the Python argument."""
    if isinstance(exc, ArgumentError) and exc.argument in _CONTROLS:
        return exc.render(_CONTROLS[exc.argument])
    return str(exc)
