"""Fuzzing the inputs through the command line: never a traceback, never a wrong total.

Hypothesis writes population CSVs, curated tables (grantees, Sonderstatusstädte) and rules
files — well-formed ones, subtly wrong ones (thousands separators, impossible dates,
figures beyond the plausibility bound, extra or missing fields, legacy code pages) and
junk — and runs ``wirgeo.cli.main`` on the synthetic dataset of
tests/test_reliability_data.py. The promise checked on every example:

* the exit code is 0 or 2 and nothing prints a traceback;
* exit 2 prints one error line that names the file that was fuzzed;
* exit 0 happens only for an input whose meaning is certain, and then the figures printed
  are the ones the input means (population total, number of grantees, Sonderstatusstädte,
  the rule values);
* an input that is certainly valid gives exit 0.

The normal test run tries a bounded number of examples per target (``WIRGEO_FUZZ_EXAMPLES``,
default 12); ``make fuzz`` runs many more and prints Hypothesis' statistics.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import string
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_data import GEMEINDEN, german, make_synthetic

from wirgeo.cli import main
from wirgeo.core.i18n import translate
from wirgeo.settings import settings as wirgeo_settings
from wirgeo.sources import MAX_POPULATION

EXAMPLES = int(os.environ.get("WIRGEO_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="WIRGEO_FUZZ_SEED" not in
                os.environ, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The synthetic dataset; ``WIRGEO_DATA`` points at its curated tables for the module.

    The tests run the command line, which reads its settings from the environment once per
    command, and build runs in this process, which read the settings object: both are set.
    """
    synthetic = make_synthetic(tmp_path_factory.mktemp("fuzz"))
    saved = {k: os.environ.get(k) for k in ("WIRGEO_DATA", "WIRGEO_GEO")}
    os.environ["WIRGEO_DATA"] = str(synthetic.data)
    os.environ["WIRGEO_GEO"] = str(synthetic.folder / "geo")
    # ... and the settings, read once, for what the tests build in this process
    with wirgeo_settings.override(data=str(synthetic.data),
                                  geo=str(synthetic.folder / "geo")):
        yield synthetic
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def check_outcome(code: int, err: str, fuzzed: Path) -> None:
    """Exit 0 or 2; exit 2 is one error line naming the fuzzed file; never a traceback."""
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err, err
    if code == 2:
        # "wirgeo: Fehler:" by default: the catalog's words for "wirgeo: error:"
        prefix = translate("wirgeo: error: {message}").split("{")[0]
        errors = [line for line in err.splitlines() if line.startswith(prefix)]
        assert len(errors) == 1, err
        assert fuzzed.name in errors[0], err


def fresh(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix="wirgeo-fuzz-")) / name


ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "cp850")


def encode(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


# --------------------------------------------------------------- population CSV


@dataclass
class Cell:
    """A population cell as written, and the count it certainly means (None: unclear)."""

    text: str
    means: int | None
    plain: bool = False  # digits only: valid whatever the separator


def _cells(sep: str):
    counts = st.integers(min_value=-5, max_value=MAX_POPULATION + 10)
    plain = counts.map(lambda n: Cell(str(n), n, plain=n >= 0))
    german_style = st.integers(1_000, 999_999).map(lambda n: Cell(german(n), n))
    # '10,000' means 10000 only in a ';' file; in a ',' file it splits the row
    english = st.integers(1_000, 999_999).map(
        lambda n: Cell(f"{n:,}", n if sep == ";" else None))
    junk = st.text(min_size=1, max_size=8).filter(
        lambda t: not re.fullmatch(r"[\s\d.,+\-\u00a0]*", t)).map(lambda t: Cell(t, None))
    huge = st.integers(10**13, 10**30).map(lambda n: Cell(str(n), None))
    return st.one_of(plain, plain, german_style, english, junk, huge)


_DATES = st.sampled_from([("2023-12-31", True), ("31.12.2023", True), ("2023-02-30", False),
                          ("31.02.2023", False), ("", False), ("gestern", False)])


@st.composite
def population_tables(draw):
    sep = draw(st.sampled_from([";", ","]))
    header = draw(st.sampled_from([["ags", "population", "date"],
                                   ["AGS", "Einwohner", "Stichtag"],
                                   ["Gemeindeschlüssel", "Bevölkerung", "Stichtag"]]))
    with_name = draw(st.booleans())
    rows, clean, means = [], True, []
    order = draw(st.permutations([g[0] for g in GEMEINDEN]))
    keep = draw(st.integers(len(order) - 1, len(order))) if draw(st.booleans()) else len(order)
    date, date_ok = draw(_DATES)
    clean &= date_ok and keep == len(order)
    for ags in order[:keep]:
        cell = draw(_cells(sep))
        means.append(cell.means)
        clean &= cell.plain and cell.means is not None and 0 <= cell.means <= MAX_POPULATION
        values = [ags, cell.text, date]
        if with_name:
            values.append(next(g[1] for g in GEMEINDEN if g[0] == ags) + " ä")
        if draw(st.integers(0, 20)) == 0:
            values.append("extra")
            clean = False
        rows.append(sep.join(values))
    head = sep.join(header + (["Gemeinde"] if with_name else []))
    text = head + "\n" + "\n".join(rows) + "\n"
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding == "cp850" and with_name:
        clean = False  # its 'ä' is Windows-1252's '„': refused, never misread
    data = encode(text, encoding)
    if draw(st.integers(0, 15)) == 0:  # a truncated or damaged file
        data = (data or b"")[: draw(st.integers(0, max(len(data or b""), 1)))]
        clean = False
    total = sum(means) if all(m is not None for m in means) and keep == len(order) else None
    plausible = all(m is not None and 0 <= m <= MAX_POPULATION for m in means)
    return data or b"", clean, total if plausible else None


@FUZZ
@given(population_tables())
def test_fuzz_population_csv(dataset, table):
    data, clean, total = table
    path = fresh("population.csv")
    path.write_bytes(data)
    code, out, err = run("data", "check", "--boundaries", dataset.boundaries,
                         "--population", path, "--no-cache")
    check_outcome(code, err, path)
    if clean:
        assert code == 0, err
    if code == 0:
        assert total is not None, (data, out)
        assert re.search(rf"Einwohner insgesamt\s+{re.escape(german(total))}\n", out), out


# --------------------------------------------------------------- curated tables

_G_HEADER = ["ags", "name", "round", "years", "consortium_id", "project", "amount_eur",
             "status", "source_url", "further_sources", "note"]
_KREISANGEHOERIG = [g for g in GEMEINDEN if g[2] != "Kreisfreie Stadt"]


@dataclass
class Table:
    """A generated curated table: its text, whether it is certainly valid, its rows."""

    text: str = ""
    valid: bool = True
    rows: int = 0
    # cut off somewhere: mostly broken, but a cut at the end of a field may leave a valid
    # file (found by make fuzz): then only "no traceback, one clear error" is promised
    truncated: bool = False


def _field(draw, good, bad, *, choice=False):
    """A value that is valid (``good``) most of the time, else one certainly invalid.

    ``choice``: the column holds one of ``good`` only, so any other text is invalid too.
    """
    if draw(st.integers(0, 6)) == 0:
        junk = st.text(max_size=6).filter(lambda t: t.strip() not in good)
        return draw(st.one_of(st.sampled_from(bad), junk) if choice else
                    st.sampled_from(bad)), False
    return draw(st.sampled_from(good)), True


@st.composite
def grantee_tables(draw):
    table = Table()
    chosen = draw(st.lists(st.sampled_from(GEMEINDEN), max_size=4, unique=True))
    lines = [",".join(_G_HEADER)]
    for ags, name, _, _ in chosen:
        if ags == "06412000":
            table.valid = False  # a kreisfreie Stadt is no KIV grantee
        rnd, ok1 = _field(draw, ["KIV I", "KIV II", "later", "unknown"], ["KIV 3", ""],
                          choice=True)
        amount, ok2 = _field(draw, ["", "20000", "30000"],
                             ["20.000", "2000²", "-5", "9" * 25, "20000 €"])
        status, ok3 = _field(draw, ["confirmed", "probable"], ["yes", ""], choice=True)
        url, ok4 = _field(draw, ["https://example.org/a"], ["example.org", "", "ftp://x"])
        project, ok5 = _field(draw, ["Strategie", '=HYPERLINK("http://x","y")', "Plan, 2020"],
                              [""])
        table.valid &= ok1 and ok2 and ok3 and ok4 and ok5
        values = [ags, name, rnd, "2020/2021", "", project, amount, status, url, "", ""]
        cells = [_csv_quote(v) for v in values]
        if draw(st.integers(0, 15)) == 0:
            cells.append("extra")
            table.valid = False
        lines.append(",".join(cells))
        table.rows += 1
    table.text = "\n".join(lines) + "\n"
    return table


def _csv_quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


@st.composite
def grantee_files(draw):
    table = draw(grantee_tables())
    encoding = draw(st.sampled_from(ENCODINGS))
    data = encode(table.text, encoding) or b""
    if draw(st.integers(0, 12)) == 0:  # a truncated file
        data = data[: draw(st.integers(0, len(data)))]
        table.valid = False
        table.truncated = True
    return data, table


@FUZZ
@given(grantee_files())
def test_fuzz_grantee_table(dataset, case):
    data, table = case
    path = fresh("kiv_grantees.csv")
    path.write_bytes(data)
    code, out, err = run("eligibility", "--boundaries", dataset.boundaries, "--population",
                         dataset.population, "--no-cache", "--grantees", path)
    check_outcome(code, err, path)
    if table.valid:
        assert code == 0, (table.text, err)
    if code == 0:
        match = re.search(r"Belegte KIV-Förderungen: (\d+)", out)
        assert match, out
        if table.truncated:  # a cut may leave fewer rows, never more
            assert int(match[1]) <= table.rows, (data, out)
        else:
            assert table.valid or not table.rows, (table.text, out)
            assert int(match[1]) == table.rows, out


@st.composite
def sonderstatus_files(draw):
    candidates = [*GEMEINDEN, ("06440009", "Nirgendwo", "Gemeinde", 0)]
    chosen = draw(st.lists(st.sampled_from(candidates), max_size=3, unique=True))
    valid = all(g[2] != "Kreisfreie Stadt" and g[0] != "06440009" for g in chosen)
    lines = ["ags,name,source_url"]
    for ags, name, _, _ in chosen:
        url, ok = _field(draw, ["https://example.org/s"], ["", "www.example.org"])
        key, ok2 = _field(draw, [ags], [ags[1:], ags + "0", "0644OOO1"])
        valid &= ok and ok2
        lines.append(",".join([key, _csv_quote(name), _csv_quote(url)]))
    text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(ENCODINGS))
    return encode(text, encoding) or b"", valid, len(chosen)


@FUZZ
@given(sonderstatus_files())
def test_fuzz_sonderstatus_table(dataset, case):
    data, valid, rows = case
    path = dataset.data / "sonderstatusstaedte.csv"
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        code, out, err = run("data", "check", "--boundaries", dataset.boundaries,
                             "--population", dataset.population, "--no-cache")
    finally:
        path.write_bytes(original)
    check_outcome(code, err, path)
    if valid:
        assert code == 0, (data, err)
    if code == 0:
        assert valid, (data, out)
        assert re.search(rf"Sonderstatusstädte\s+{rows}\n", out), out


_C_HEADER = ("name,host_type,host_ags,host_name,organisation,street,postcode,town,town_ags,"
             "status,lon,lat,source_url,further_sources,note")
#: Two centres that are certainly valid for the synthetic dataset, as lists of fields.
_CENTRES = (
    ["WIR-Vielfaltszentrum Wetteraukreis", "landkreis", "06440", "Wetteraukreis",
     "Kreisverwaltung", "", "", "Dorfen", "06440004", "inferred", "", "",
     "https://example.org/w", "", ""],
    ["WIR-Vielfaltszentrum Frankfurt", "kreisfreie_stadt", "06412", "Frankfurt am Main",
     "Amt", "Römerberg 1", "60311", "Frankfurt am Main", "06412000", "confirmed", "8.93",
     "50.21", "https://example.org/f", "", ""],
)
#: Faults per column (index): each makes the row certainly invalid.
_CENTRE_FAULTS = {
    1: ["gemeinde", "Landkreis", ""], 2: ["0644", "06441", "6440", "064400"],
    8: ["06440009", "6440004", ""], 9: ["yes", ""],
    10: ["181", "abc", "8.93.1"], 12: ["", "example.org", "ftp://x"],
}


# a note may hold anything a German table holds, quotes and separators included
_FREE_TEXT = string.ascii_letters + string.digits + " ,;\"'=+-@äöüÄÖÜß€\n"


@st.composite
def centre_files(draw):
    chosen = draw(st.lists(st.sampled_from(range(len(_CENTRES))), max_size=2, unique=True))
    valid, lines = True, [_C_HEADER]
    for i in chosen:
        values = list(_CENTRES[i])
        if draw(st.integers(0, 3)) == 0:
            column = draw(st.sampled_from(sorted(_CENTRE_FAULTS)))
            values[column] = draw(st.sampled_from(_CENTRE_FAULTS[column]))
            valid = False
        elif draw(st.integers(0, 5)) == 0:  # free text where text is free: still valid
            values[14] = draw(st.text(alphabet=_FREE_TEXT, max_size=12))
        lines.append(",".join(_csv_quote(v) for v in values))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = encode("\n".join(lines) + "\n", encoding)
    if data is None:  # a character the code page cannot hold: write UTF-8 instead
        data = ("\n".join(lines) + "\n").encode("utf-8")
    return data, valid and encoding != "cp850", len(chosen)


@FUZZ
@given(centre_files())
def test_fuzz_centre_table(dataset, case):
    data, valid, rows = case
    path = fresh("wir_centres.csv")
    path.write_bytes(data)
    code, out, err = run("eligibility", "--boundaries", dataset.boundaries, "--population",
                         dataset.population, "--no-cache", "--centres", path)
    check_outcome(code, err, path)
    if valid:
        assert code == 0, (data, err)
    if code == 0:
        match = re.search(r"WIR-Vielfaltszentren: (\d+)", out)
        assert match and int(match[1]) == rows, out


# --------------------------------------------------------------------- rules TOML

_INT_RULES = ("single_min", "single_max", "member_below", "min_members", "max_members",
              "combined_min", "combined_max")


@st.composite
def rules_files(draw):
    text = (Path(__file__).resolve().parent.parent / "data" / "kiv_rules.toml").read_text(
        encoding="utf-8")
    rule = draw(st.sampled_from(_INT_RULES))
    value = draw(st.one_of(
        st.integers(-10, 200_000).map(str), st.integers(10**8, 10**25).map(str),
        st.sampled_from(["1e400", "nan", "inf", '"10000"', "true", "2024-02-30",
                         "10_000", "0x10", "[1, 2]", "{}", ""]),
    ))
    pattern = re.compile(rf"(\[rules\.{rule}\]\nvalue = )(\S+)")
    text = pattern.sub(lambda m: m[1] + value, text, count=1)
    mutation = draw(st.integers(0, 12))
    if mutation == 0:
        text = text[: draw(st.integers(0, len(text)))]
    elif mutation == 1:
        text = text.replace("quote = ", "quote_ = ", 1)
    elif mutation == 2:
        text = "[unknown]\nx = 1\n" + text
    encoding = draw(st.sampled_from(ENCODINGS))
    try:  # what TOML itself makes of the value (10_000 and 0x10 are whole numbers too)
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = None
    intended = parsed if isinstance(parsed, int) and not isinstance(parsed, bool) else None
    return encode(text, encoding) or b"", rule, intended, mutation == 0


@FUZZ
@given(rules_files())
def test_fuzz_rules_file(dataset, case):
    from wirgeo.rules import load_rules

    data, rule, intended, truncated = case
    path = fresh("rules.toml")
    path.write_bytes(data)
    code, out, err = run("eligibility", "--boundaries", dataset.boundaries, "--population",
                         dataset.population, "--no-cache", "--rules", path)
    check_outcome(code, err, path)
    if code == 0:
        rules = load_rules(path)
        if not truncated:  # a cut-off file may have lost the changed value itself
            assert intended is not None, (rule, data[:200])
            assert getattr(rules, rule) == intended
        assert "Traceback" not in out


# ------------------------------------------- issue 19: text on the map is never code

#: Pieces of markup, template syntax, quotes and escapes a name or remark may hold.
_TRAPS = ("{{ 7*7 }}", "{{", "}}", "{%", "%}", "{% raw %}", "{% endraw %}", "{#", "#}",
          "<script>window.__pwned=1</script>", "</script>", "<script", "<!--", "-->",
          '<img src=x onerror="window.__pwned=1">', "</style>", "]]>", '"', "'", "\\",
          "\\u003c", "`", "${x}", "&amp;", "&#123;", "&lt;", "$\\frac{", "\u2028", "ä", "ß")
_WORD = st.text(alphabet=string.ascii_letters + "äöüÄÖÜß -.()/", min_size=1, max_size=6)
#: Text with traps, as a name, remark or title could hold it (no line breaks, trimmed).
hostile_text = st.lists(st.one_of(st.sampled_from(_TRAPS), _WORD), min_size=1,
                        max_size=6).map(lambda parts: "".join(parts).strip()).filter(bool)
#: The page's own markup that data may never add to.
_PAGE_MARKERS = ("<script", "</script", "<img", "{{", "{%", "{#", "<!--", "</style")
#: Every text field that reaches the planning map, by table and column.
_MAP_FIELDS = {
    "gemeinde": ("municipalities", "name"), "kreis": ("municipalities", "kreis_name"),
    # the class label is the catalog's word for the class code: no text path from data
    "centre_of": ("eligibility", "centre_name"),
    "funded": ("eligibility", "funded_round"), "reason": ("unplaced", "reason"),
    "code": ("unplaced", "reason_code"), "project": ("grantees", "project"),
    "round": ("grantees", "round"), "years": ("grantees", "years"),
    "centre": ("centres", "name"), "organisation": ("centres", "organisation"),
    "street": ("centres", "street"), "town": ("centres", "town"),
}
_RECORD_FIELDS = ("title", "scenario", "rules_file", "population_file")


def _page_texts(html_text: str) -> str:
    """Every text the page carries, decoded from its JSON and HTML-unescaped."""
    import html
    import json

    texts = [json.loads(m) for m in re.findall(
        r"var features_\d+ = (.*);\n", html_text)]
    strings = [str(v) for data in texts for f in data["features"]
               for v in f["properties"].values()]
    strings += [json.loads(m) for m in re.findall(r"div\.innerHTML = (\".*\");", html_text)]
    strings += [json.loads(m) for m in re.findall(r"addAttribution\((\".*\")\);", html_text)]
    strings += re.findall(r"<title>(.*)</title>", html_text)
    return html.unescape("\n".join(strings))


@pytest.fixture(scope="module")
def synthetic_run(dataset):
    """The synthetic dataset, read through the official readers, and its planning run."""
    from wirgeo.municipalities import load
    from wirgeo.planning import build

    municipalities = load(boundaries=dataset.boundaries, population=dataset.population,
                          cache=False).municipalities
    return municipalities, build(municipalities)


def _fuzzed_page(synthetic_run, texts: dict[str, str]) -> str:
    """The planning map with ``texts`` in their fields (every row), as saved."""
    import dataclasses

    from wirgeo import maps
    from wirgeo.planning import RunRecord

    municipalities, run = synthetic_run
    tables = {"municipalities": municipalities, **maps.tables_of(run)}
    changed = {}
    for field, (table, column) in _MAP_FIELDS.items():
        frame = changed.get(table, tables[table])
        changed[table] = frame.assign(**{column: texts[field]})
    mun = changed.pop("municipalities")
    mun.attrs = {**municipalities.attrs, "population_file": texts["population_file"]}
    record = dataclasses.replace(RunRecord.of(run), scenario=texts["scenario"],
                                 rules_file=texts["rules_file"],
                                 population_file=texts["population_file"])
    m = maps.planning_map(mun, record=record, title=texts["title"], tiles=None,
                          **{**maps.tables_of(run), **changed})
    return maps.save_map(m, fresh("map.html")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clean_page(synthetic_run):
    """The same map with plain words in every field: how often its own markup occurs."""
    page = _fuzzed_page(synthetic_run, dict.fromkeys([*_MAP_FIELDS, *_RECORD_FIELDS],
                                                     "Plain"))
    return {marker: page.count(marker) for marker in _PAGE_MARKERS}


@FUZZ
@given(st.fixed_dictionaries(dict.fromkeys([*_MAP_FIELDS, *_RECORD_FIELDS], hostile_text)))
def test_fuzz_text_on_the_map(synthetic_run, clean_page, texts):
    """Markup and template syntax in every text field of the map (names, Kreis names,
    class labels, reasons, grantee and centre fields, title, scenario, file names): each
    shows as written, the page adds no markup of its own, nothing is evaluated.
    """
    page = _fuzzed_page(synthetic_run, texts)
    for marker, count in clean_page.items():
        assert page.count(marker) == count, (marker, page.count(marker), count)
    shown = _page_texts(page)
    for field, text in texts.items():
        assert text in shown, (field, text)
