"""Print maps on the real Hessen data: what a reader of the PDF, SVG and PNG finds there."""

from __future__ import annotations

import itertools
import re

import matplotlib.image
import pytest
from pdf import pdf_text

from wirgeo import maps
from wirgeo.errors import ArgumentError, InputError
from wirgeo.planning import RunRecord


@pytest.fixture(scope="module")
def tables(planning):
    return maps.tables_of(planning)


@pytest.fixture(scope="module")
def hessen_pdf(municipalities, planning, tables, tmp_path_factory):
    fig = maps.static_map(municipalities, record=RunRecord.of(planning), **tables)
    path = maps.save_static_map(fig, tmp_path_factory.mktemp("print") / "hessen.pdf")
    return fig, path


def test_hessen_pdf_has_title_attribution_and_names_as_text(hessen_pdf, municipalities):
    fig, path = hessen_pdf
    text = pdf_text(path)
    assert "Planungskarte Hessen" in text and "6.420.729 Einwohner" in text
    for part in ("GeoBasis-DE / BKG", "Destatis", "Grenzen Stand 01.01.2016",
                 "Bevölkerung Stand 31.12.2023", "228 von 246", "Legende"):
        assert part in text, part
    for name in ("Frankfurt am Main", "Wiesbaden", "Landkreis Kassel", "Vogelsbergkreis",
                 "Bad Hersfeld", "Alsfeld", "Schlitz"):
        assert name in text, name
    sizes = [round(x) for x in fig.get_size_inches() * 25.4]
    assert sizes == [297, 210]  # A4 landscape


def test_labels_never_overlap(hessen_pdf):
    fig, _ = hessen_pdf
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    assert len(boxes) > 150  # most Gemeinden are named even on a statewide A4 map
    clashes = [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    # the scale bar's "0" and length sit on the bar, not on a label
    assert not [c for c in clashes if min(c[0].width, c[1].width) > 8]


def test_kreis_view_names_every_gemeinde_and_numbers_its_verbuende(municipalities, planning,
                                                                    tables, tmp_path):
    """No Verbund is labelled by its id: a short number on the map, its members in the
    legend ("6  Schlitz – Grebenau – Schwalmtal")."""
    fig = maps.static_map(municipalities, kreise=["Vogelsbergkreis"], paper="A4",
                          orientation="portrait", **tables)
    path = maps.save_static_map(fig, tmp_path / "vogelsberg.svg")
    svg = path.read_text(encoding="utf-8")
    assert svg.count("<text") > 20 and "<path" in svg  # text stays text
    texts = " ".join(re.findall(r">([^<>]+)</text>", svg))
    vogelsberg = municipalities[municipalities["kreis_name"] == "Vogelsbergkreis"]
    for name in vogelsberg["name"]:
        assert name in texts, name
    consortia = planning.plan.consortia
    ids = consortia[[any(a.startswith("06535") for a in m)
                     for m in consortia["member_ags"]]]["consortium_id"]
    assert len(ids) == 6
    for consortium_id in ids:
        assert consortium_id not in texts
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    for n in range(1, 7):  # the numbers on the map, and each one's members in the legend
        assert any(t.startswith(f"{n}  ") for t in legend), n
        assert str(n) in [t.get_text() for t in fig.axes[0].texts]
    assert "6  Schlitz – Grebenau – Schwalmtal" in legend
    assert "Planungskarte Vogelsbergkreis" in texts
    assert "außerhalb der Auswahl" in texts  # partners across the border, greyed
    assert [round(x) for x in fig.get_size_inches() * 25.4] == [210, 297]


def _drawn_verbund_colours(fig) -> set[tuple[float, ...]]:
    return {tuple(round(float(x), 4) for x in c.get_facecolor()[0][:3])
            for c in fig.axes[0].collections if c.get_gid() == "wirgeo-verbund"}


def _legend_colours(fig) -> set[tuple[float, ...]]:
    from matplotlib.patches import Patch

    # every swatch the legend draws (a row of chips counts each chip)
    legend = fig.legends[0]
    fig.canvas.draw()
    return {tuple(round(float(x), 4) for x in p.get_facecolor()[:3])
            for p in legend.findobj(Patch) if p is not legend.legendPatch
            and p.get_facecolor()[3] > 0}


@pytest.mark.parametrize("kreise", [["Vogelsbergkreis"], ["Kassel", "Werra-Meißner-Kreis"], []])
def test_every_verbund_colour_drawn_is_in_the_legend(municipalities, tables, kreise):
    fig = maps.static_map(municipalities, kreise=kreise, **tables)
    drawn = _drawn_verbund_colours(fig)
    assert drawn and drawn <= _legend_colours(fig)
    if kreise == ["Vogelsbergkreis"]:
        # six Verbünde spread over the five colours: none is used three times
        assert len(drawn) == 5


def test_saved_files_are_byte_identical(municipalities, tables, tmp_path):
    fig = maps.static_map(municipalities, kreise=["Kassel"], **tables)
    for suffix in (".pdf", ".svg", ".png"):
        a = maps.save_static_map(fig, tmp_path / f"a{suffix}", dpi=100).read_bytes()
        b = maps.save_static_map(fig, tmp_path / f"b{suffix}", dpi=100).read_bytes()
        assert a == b, suffix


def test_english_a3_and_bad_arguments(municipalities, tables, tmp_path):
    fig = maps.static_map(municipalities, kreise=["Fulda"], lang="en", paper="A3",
                          orientation="landscape", **tables)
    assert [round(x) for x in fig.get_size_inches() * 25.4] == [420, 297]
    text = pdf_text(maps.save_static_map(fig, tmp_path / "fulda.pdf"))
    assert "planning map Landkreis Fulda" in text and "boundaries as of 1 Jan 2016" in text
    with pytest.raises(ArgumentError, match="Argument 'paper'.*eine von A4, A3 verwenden"):
        maps.static_map(municipalities, paper="Letter")
    with pytest.raises(ArgumentError, match="Argument 'orientation'"):
        maps.static_map(municipalities, orientation="sideways")
    with pytest.raises(InputError, match="PNG, PDF oder SVG"):
        maps.save_static_map(fig, tmp_path / "map.jpg")
    assert not (tmp_path / "map.jpg").exists()


@pytest.mark.parametrize("name, kreis", [("hessen.png", None),
                                         ("kassel.pdf", "Landkreis Kassel")])
def test_cli_writes_print_maps(run_cli, tmp_path, name, kreis):
    out = tmp_path / name
    code, stdout, stderr = run_cli("map", "--out", out, *(["--kreis", kreis] if kreis else []))
    assert code == 0, stderr
    assert f"geschrieben {out}" in stdout
    if out.suffix == ".png":
        assert matplotlib.image.imread(out).shape[1] >= 2_000  # A4 at 300 dpi: 3,508 px
    else:  # (SVG: the Kreis view test above)
        text = pdf_text(out)
        assert "Planungskarte Landkreis Kassel" in text and "Hofgeismar" in text


def test_dollar_signs_and_markup_in_names_are_printed_as_text(municipalities, tables,
                                                              tmp_path):
    """Issue 19: "$…$" in a name is not matplotlib's mathtext (a "$\\frac{" stopped it)."""
    mun = municipalities.copy()
    mun.attrs = dict(municipalities.attrs)
    vogelsberg = mun["kreis_ags"] == "06535"
    mun.loc[vogelsberg, "name"] = mun.loc[vogelsberg, "name"] + " $\\frac{a$ <b>{{ 7*7 }}"
    fig = maps.static_map(mun, kreise=["06535"], title="T$\\alpha$T", **tables)
    text = pdf_text(maps.save_static_map(fig, tmp_path / "dollar.pdf"))
    assert "T$\\alpha$T" in text, text[:300]
    assert "$\\frac{a$ <b>{{ 7*7 }}" in text
