// The planner's live map (see live_map.py). The Leaflet map is created once per view and
// kept: a change of the plan only restyles the Gemeinde layer and replaces the Verbund
// layer, so the planner's zoom and position survive every change.

function ringsOf(geometry) {
  if (geometry.type === "Polygon") return geometry.coordinates;
  if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
  return [];
}

// The outer border of a group of Gemeinden: every edge that only one member has. The
// display outlines are an exact coverage (shared borders have identical vertices), so an
// edge shared by two members appears twice and drops out.
function groupOutline(features) {
  const count = new Map();
  const edges = [];
  for (const f of features) {
    for (const ring of ringsOf(f.geometry)) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i], b = ring[i + 1];
        const ka = a[0] + "," + a[1], kb = b[0] + "," + b[1];
        const key = ka < kb ? ka + "|" + kb : kb + "|" + ka;
        count.set(key, (count.get(key) || 0) + 1);
        edges.push([key, a, b]);
      }
    }
  }
  const lines = [];
  let current = null;
  for (const [key, a, b] of edges) {
    if (count.get(key) !== 1) { current = null; continue; }
    if (current && current[current.length - 1] === a) {
      current.push(b);
    } else {
      current = [a, b];
      lines.push(current);
    }
  }
  return lines.map((line) => line.map((p) => [p[1], p[0]]));
}

// Every text here is data (names, reasons, labels): it becomes DOM text (textContent),
// never HTML, so a name with markup or template syntax shows as written and runs nothing.
function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

function legendNode(legend) {
  const box = document.createDocumentFragment();
  box.appendChild(node("h4", "", legend.title));
  for (const r of legend.rows) box.appendChild(legendRow(r));
  return box;
}

// one legend row: a swatch (fill, border) and its label as DOM text
function legendRow(r) {
  const row = node("div");
  const swatch = node("span", "wirgeo-swatch");
  swatch.style.background = r.fill;
  swatch.style.border = r.border;
  row.appendChild(swatch);
  row.appendChild(document.createTextNode(r.label));
  return row;
}

// The tooltip of one Gemeinde: name (Kreis), inhabitants, its Zensus 2022 line (when the
// data has one), and the plan's line for it.
function tooltipNode(p, tip) {
  const div = node("div");
  div.appendChild(node("b", "", p.n));
  div.appendChild(document.createTextNode(` (${p.k})`));
  for (const line of [p.p, p.z, tip]) {
    if (!line) continue;
    div.appendChild(node("br"));
    div.appendChild(document.createTextNode(line));
  }
  return div;
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "wirgeo-live-map";
  box.style.height = model.get("height");
  el.appendChild(box);
  const styles = model.get("styles");
  // the sources run to four lines: folded into the legend, so they never cover the map
  const map = L.map(box, { preferCanvas: false, zoomSnap: 0.25, attributionControl: false });
  const outlines = model.get("outlines");
  const byIndex = [];
  // tooltips are bound once and read the current plan's text when they open
  let currentTips = [];
  let currentStyles = [];
  const areas = L.geoJSON(outlines, {
    style: () => styles.area,
    onEachFeature: (feature, layer) => {
      const i = byIndex.length;
      byIndex.push(layer);
      layer.feature = feature;
      const p = feature.properties;
      layer.bindTooltip(() => tooltipNode(p, currentTips[i]),
                        { sticky: true, className: "wirgeo-tooltip" });
      // a click is the planner's hand edit: the kernel decides what it means
      layer.on("click", () => model.send({ event: "click", index: i }));
      layer.on("mouseover", () => layer.setStyle(styles.highlight));
      layer.on("mouseout", () => currentStyles[i] && layer.setStyle(currentStyles[i]));
    },
  }).addTo(map);
  L.geoJSON(model.get("kreis_lines"), { style: () => styles.kreis, interactive: false })
    .addTo(map);
  let groups = L.layerGroup().addTo(map);
  // the plan's own legend rows (statuses, invalid, declined with their counts)
  const planLegend = node("div", "wirgeo-plan-legend");
  const info = L.control({ position: "topright" });
  info.onAdd = () => {
    const div = L.DomUtil.create("div", "wirgeo-legend");
    div.appendChild(legendNode(model.get("legend")));
    div.appendChild(planLegend);
    const sources = node("details", "wirgeo-sources");
    sources.appendChild(node("summary", "", model.get("texts").sources));
    sources.appendChild(node("div", "wirgeo-note", model.get("attribution")));
    div.appendChild(sources);
    return div;
  };
  info.addTo(map);
  const bounds = areas.getBounds();

  const zoomButton = L.control({ position: "topleft" });
  zoomButton.onAdd = () => {
    const a = L.DomUtil.create("a", "wirgeo-zoom-selection leaflet-bar");
    a.href = "#";
    a.title = model.get("texts").zoom_selection;
    // a crosshair drawn as SVG: the fonts of a JupyterLab page may have no such glyph
    a.innerHTML = '<svg width="18" height="18" viewBox="0 0 18 18" fill="none" ' +
      'stroke="#333" stroke-width="2"><circle cx="9" cy="9" r="5"/>' +
      '<path d="M9 1v4M9 13v4M1 9h4M13 9h4"/></svg>';
    L.DomEvent.on(a, "click", (e) => {
      L.DomEvent.stop(e);
      map.fitBounds(selectionBounds() || bounds);
    });
    return a;
  };
  zoomButton.addTo(map);

  function selectionBounds() {
    const focus = model.get("plan").focus || [];
    if (!focus.length) return null;
    return L.featureGroup(focus.map((i) => byIndex[i])).getBounds();
  }

  function draw() {
    const plan = model.get("plan");
    if (!plan || !plan.classes) return;
    const focus = new Set(plan.focus || []);
    const tips = new Array(byIndex.length).fill("");
    const fills = plan.classes.map((c) => ({ ...styles.area, fillColor: styles.classes[c] }));
    const next = L.layerGroup();
    // the Verbund being edited: a wide yellow band beneath the Verbund outlines (so an
    // invalid Verbund's red ring stays visible on it)
    if ((plan.selected || []).length) {
      const outline = groupOutline(plan.selected.map((i) => byIndex[i].feature));
      next.addLayer(L.polyline(outline, { ...styles.highlight, weight: 9, opacity: 0.9,
        color: "#FFEB3B", interactive: false, className: "wirgeo-selected" }));
    }
    for (const g of plan.groups) {
      // c < 0: the Verbund breaks a rule, drawn as invalid, never in a Verbund colour
      const fill = g.c < 0 ? { ...styles.invalid }
        : { ...styles.member, fillColor: styles.groups[g.c] };
      for (const i of g.m) {
        fills[i] = { ...fill };
        tips[i] = g.t;
      }
      const outline = groupOutline(g.m.map((i) => byIndex[i].feature));
      const line = g.c < 0 ? styles.invalid_outline
        : (g.s ? styles.status[g.s] : styles.outline);
      next.addLayer(L.polyline(outline, { ...line, interactive: false,
        className: g.c < 0 ? "wirgeo-invalid" : "wirgeo-verbund" }));
    }
    for (const g of plan.refused || []) {
      const outline = groupOutline(g.m.map((i) => byIndex[i].feature));
      next.addLayer(L.polyline(outline, { ...styles.status.rejected, interactive: false,
        className: "wirgeo-refused" }));
      for (const i of g.m) tips[i] = tips[i] ? tips[i] + " · " + g.t : g.t;
    }
    for (const [i, reason] of plan.unplaced) {
      fills[i] = { ...styles.unplaced };
      tips[i] = reason;
    }
    for (const [i, tip] of plan.declined || []) {
      fills[i] = { ...styles.declined };
      tips[i] = tip;
    }
    planLegend.replaceChildren();
    for (const r of plan.legend || []) planLegend.appendChild(legendRow(r));
    byIndex.forEach((layer, i) => {
      const style = fills[i];
      if (focus.size && !focus.has(i)) style.fillOpacity = style.fillOpacity * 0.35;
      layer.setStyle(style);
    });
    currentTips = tips;
    currentStyles = fills;
    // the Gemeinde just clicked is under the mouse: its open tooltip says the new plan
    byIndex.forEach((layer) => { if (layer.isTooltipOpen()) layer.getTooltip().update(); });
    map.removeLayer(groups);
    groups = next.addTo(map);
    box.dataset.revision = String(plan.revision);
    box.dataset.groups = String(plan.groups.length);
    box.dataset.invalid = String(plan.groups.filter((g) => g.c < 0).length);
    box.dataset.colours = JSON.stringify(plan.groups.map((g) => g.c));
  }

  // The output may still be hidden or unsized when the map is made; the first view is set
  // once the map has a size (fitting a 0×0 box would show the whole world).
  let placed = false;
  function place() {
    if (placed || !box.clientWidth || !box.clientHeight) return;
    placed = true;
    map.invalidateSize();
    const start = model.get("view");
    if (start && start.center) {
      map.setView(start.center, start.zoom);  // a second view of the same planner
    } else {
      map.fitBounds(selectionBounds() || bounds);
    }
  }
  map.on("moveend", () => {
    if (!placed) return;
    const c = map.getCenter();
    model.set("view", { center: [c.lat, c.lng], zoom: map.getZoom() });
    model.save_changes();
  });
  place();
  draw();
  model.on("change:plan", draw);
  // the output area may be laid out after the map: measure again once it is visible
  const resize = new ResizeObserver(() => { map.invalidateSize(); place(); });
  resize.observe(box);
  box.wirgeoMap = map;  // for tests and the bench: the one map object of this view
  box.wirgeoLayers = byIndex;  // the Gemeinden's layers, in the order of the outlines
  return () => { resize.disconnect(); map.remove(); };
}

export default { render };
