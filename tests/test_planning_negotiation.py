"""The plan document: its format, its check, its completion and comparison, on Hessen.

Vogelsbergkreis, 31.12.2023: Feldatal (2,398), Mücke (9,497) and Ulrichstein (3,019) are a
Verbund of the optimal plan; Alsfeld (16,205) is too large for a Verbund; Grebenau,
Schlitz and Schwalmtal are another Verbund of the optimal plan.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest

from wirgeo.consortia import plan
from wirgeo.core.i18n import speaking
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.exports import write_check, write_comparison, write_negotiation
from wirgeo.exports.negotiation import twin_path
from wirgeo.planning import NegotiationBasis, check_release, new_negotiation, release_breaks
from wirgeo.programme import funded_ags
from wirgeo.settings import settings
from wirgeo.sources import Negotiation, read_negotiation
from wirgeo.wording import check_sentence, cost_lines, violations_text

FELDATAL, MUECKE, ULRICHSTEIN = "06535003", "06535013", "06535018"
ALSFELD, ANTRIFTTAL, ROMROD = "06535001", "06535002", "06535014"
GREBENAU, SCHLITZ, SCHWALMTAL = "06535006", "06535015", "06535017"
FREIENSTEINAU, HOMBERG = "06535004", "06535009"   # 10,657 together, they do not touch
HEADER = "verbund,ags,status,name,note\n"


def _write(tmp_path, text, name="plan.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _rows(*rows):
    return Negotiation.from_rows([dict(zip(("verbund", "ags", "status"), r, strict=True))
                                  for r in rows])


@pytest.fixture(scope="module")
def basis(municipalities):
    return NegotiationBasis.of(municipalities)


# ------------------------------------------------------------------ reading


def test_reads_a_document_in_its_forms(tmp_path):
    text = (HEADER + f"Nord,{FELDATAL},agreed,Feldatal,Rat 12.3.\n"
            f"Nord,{MUECKE},agreed,Mücke,\n,{ROMROD},declined,Romrod,will allein bleiben\n")
    plain = read_negotiation(_write(tmp_path, text))
    assert plain.groups("agreed") == [(FELDATAL, MUECKE)]
    assert plain.declined() == (ROMROD,)
    assert plain.rows["row"].tolist() == [2, 3, 4]
    # German Excel: semicolons, Windows-1252, German headers and labels
    german = ("Verbund;AGS;Status;Gemeinde;Anmerkung\n"
              f"Nord;{FELDATAL};vereinbart;Feldatal;Rat 12.3.\n"
              f"Nord;{MUECKE};Vereinbart;Mücke;\n;{ROMROD};nimmt nicht teil;Romrod;\n")
    excel = read_negotiation(_write(tmp_path, german, "excel.csv", "cp1252"))
    assert excel.groups("agreed") == plain.groups("agreed")
    assert excel.declined() == plain.declined()
    bom = read_negotiation(_write(tmp_path, "\ufeff" + text, "bom.csv"))
    assert bom.rows.drop(columns="row").equals(plain.rows.drop(columns="row"))
    # name and note may be left out
    short = read_negotiation(_write(tmp_path, f"ags,verbund,status\n{FELDATAL},A,in talks\n"
                                              f"{MUECKE},A,in_talks\n", "short.csv"))
    assert short.groups("in_talks") == [(FELDATAL, MUECKE)]


def test_a_gemeinde_may_be_in_a_refused_group_and_another_verbund():
    document = _rows(("alt", GREBENAU, "rejected"), ("alt", SCHLITZ, "rejected"),
                     ("neu", GREBENAU, "proposed"), ("neu", SCHWALMTAL, "proposed"),
                     ("nie", SCHLITZ, "rejected"), ("nie", SCHWALMTAL, "rejected"),
                     ("", SCHLITZ, "declined"))
    assert document.groups("rejected") == [(GREBENAU, SCHLITZ), (SCHLITZ, SCHWALMTAL)]
    assert document.places().loc[SCHLITZ, "status"] == "declined"


BAD = {
    "missing column": ("verbund,ags,name\nA,06535003,Feldatal\n", 1, "status", "no status"),
    "unknown column": (HEADER.strip() + ",Ansprechpartner\nA,06535003,agreed,,,Frau X\n", 1,
                       "Ansprechpartner", "unknown column"),
    "unknown status": (HEADER + "A,06535003,maybe,,\n", 2, "status", "'maybe'"),
    "empty status": (HEADER + "A,06535003,,,\n", 2, "status", "status is empty"),
    "lost zero": (HEADER + "A,6535003,agreed,,\n", 2, "ags", "leading zero"),
    "not digits": (HEADER + "A,0653500x,agreed,,\n", 2, "ags", "not made of digits"),
    "duplicate": (HEADER + "A,06535003,agreed,,\nA,06535003,agreed,,\n", 3, "ags",
                  "twice"),
    "two verbuende": (HEADER + "A,06535003,agreed,,\nB,06535003,proposed,,\n", 3, "ags",
                      "(row 2)"),
    "verbund and declined": (HEADER + "A,06535003,agreed,,\n,06535003,declined,,\n", 3,
                             "ags", "(row 2)"),
    "declined with a verbund": (HEADER + "A,06535003,declined,,\n", 2, "verbund",
                                "'A'"),
    "verbund without a label": (HEADER + ",06535003,agreed,,\n", 2, "verbund", "agreed"),
    "two statuses": (HEADER + "A,06535003,agreed,,\nA,06535013,proposed,,\n", 3, "status",
                     "(row 2)"),
    "label on two lines": (HEADER + '"A\nB",06535003,agreed,,\n', 2, "verbund", "lines"),
    "too many fields": (HEADER + "A,06535003,agreed,Feldatal,Rat, 12.3.\n", 2, None,
                        "6 fields"),
    "agreed and refused": (HEADER + "A,06535003,agreed,,\nA,06535013,agreed,,\n"
                           "B,06535013,rejected,,\nB,06535003,rejected,,\n", 4, "status",
                           "same members as Verbund 'A' (agreed)"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_document_is_one_error_naming_row_and_column(tmp_path, case):
    text, row, column, words = BAD[case]
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err, settings.override(language="en"):
        read_negotiation(path)
    assert err.value.source == str(path)
    assert err.value.row == row
    assert err.value.column == column
    assert words in str(err.value)
    assert err.value.fix


def test_a_document_made_in_code_is_checked_too():
    with pytest.raises(InputError, match="'maybe'"), settings.override(language="en"):
        _rows(("A", FELDATAL, "maybe"))
    with pytest.raises(InputError, match="leading zero"), settings.override(language="en"):
        _rows(("A", "6535003", "agreed"))
    with pytest.raises(InputError, match="twice"), settings.override(language="en"):
        _rows(("A", FELDATAL, "agreed"), ("A", FELDATAL, "agreed"))


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(SourceNotFoundError):
        read_negotiation(tmp_path / "nowhere.csv")
    with pytest.raises(InputError, match="empty"):
        read_negotiation(_write(tmp_path, ""))
    assert len(read_negotiation(_write(tmp_path, HEADER)).rows) == 0


def test_an_ags_typed_as_a_number_in_the_workbook_is_explained(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Verbund", "AGS", "Status"])
    book.active.append(["A", 6535003, "vereinbart"])
    book.save(tmp_path / "plan.xlsx")
    with pytest.raises(InputError, match="die führende Null ist verloren") as err:
        read_negotiation(tmp_path / "plan.xlsx")
    assert (err.value.row, err.value.column) == (2, "AGS")


def test_against_the_data_an_unknown_ags_and_a_wrong_name_are_errors(tmp_path, basis):
    unknown = read_negotiation(_write(tmp_path, HEADER + "A,06535099,agreed,,\n"))
    with pytest.raises(InputError, match="06535099") as err:
        basis.check(unknown)
    assert (err.value.row, err.value.column) == (2, "ags")
    wrong = read_negotiation(_write(tmp_path, HEADER + f"A,{FELDATAL},agreed,Mücke,\n",
                                    "wrong.csv"))
    with pytest.raises(InputError, match="Feldatal") as err:
        basis.check(wrong)
    assert (err.value.row, err.value.column) == (2, "name")
    # a short form of the name is the same Gemeinde
    short = _rows(("A", "06535012", "agreed"))
    short.rows.loc[0, "name"] = "Lautertal"
    assert len(basis.check(short).verbuende) == 1


# -------------------------------------------------------------------- check


def test_check_flags_a_large_member_and_members_that_do_not_touch(basis):
    document = _rows(("Nord", FELDATAL, "agreed"), ("Nord", MUECKE, "agreed"),
                     ("Nord", ULRICHSTEIN, "agreed"),
                     ("Groß", ALSFELD, "in_talks"), ("Groß", ANTRIFTTAL, "in_talks"),
                     ("Weit", FREIENSTEINAU, "proposed"), ("Weit", HOMBERG, "proposed"))
    check = basis.check(document)
    table = check.verbuende.set_index("verbund")
    assert table.at["Nord", "valid"] and table.at["Nord", "rules_failed"] == ()
    assert not table.at["Groß", "valid"]
    assert table.at["Groß", "rules_failed"] == ("member_too_large",)
    assert not table.at["Weit", "valid"]
    assert table.at["Weit", "rules_failed"] == ("not_contiguous",)
    large = check.breaks[check.breaks["verbund"] == "Groß"]
    assert large[["rule", "ags", "name", "population"]].to_dict("records") == [
        {"rule": "member_too_large", "ags": ALSFELD, "name": "Alsfeld", "population": 16205}]
    rules = basis.rules
    row = table.reset_index().set_index("verbund", drop=False)
    assert check_sentence(row.loc["Groß"], check.breaks, rules) == (
        "Verstößt gegen die Regeln: Alsfeld (16.205): 10.000 Einwohner oder mehr, über der "
        "Grenze für Verbundmitglieder.")
    with speaking("en"):
        assert "contiguous area" in check_sentence(row.loc["Weit"], check.breaks, rules)
    assert check_sentence(row.loc["Nord"], check.breaks, rules) == (
        "Erfüllt alle Regeln.")
    assert (check.placed, len(check.invalid)) == (3, 2)


def test_check_uses_the_engines_own_check(basis, municipalities):
    # the Verbünde of the optimal plan are all valid; a locked group the engine calls
    # broken is invalid for the same reason
    optimal = plan(municipalities, basis.rules, funded=funded_ags(), adjacency=basis.adjacency)
    rows = [(cid, a, "proposed") for cid, m in zip(optimal.consortia.consortium_id,
                                                   optimal.consortia.member_ags, strict=True)
            for a in m]
    check = basis.check(_rows(*rows))
    assert check.verbuende["valid"].all()
    assert check.placed == optimal.n_covered == 228
    locked = plan(municipalities, basis.rules.replace(lock=((ALSFELD, ANTRIFTTAL),)),
                  adjacency=basis.adjacency).consortia.query("locked")
    assert [v.code for v in locked.rule_violations.iloc[0]] == ["member_too_large"]
    assert "Alsfeld" in violations_text(locked.rule_violations.iloc[0])
    group = _rows(("x", ALSFELD, "agreed"), ("x", ANTRIFTTAL, "agreed"))
    assert basis.check(group).verbuende["rules_failed"].tolist() == [("member_too_large",)]


# ----------------------------------------------------------------- complete


@pytest.fixture(scope="module")
def negotiated():
    """One agreed Verbund, one refused group, one Gemeinde that takes no part."""
    return _rows(("Nord", FELDATAL, "agreed"), ("Nord", MUECKE, "agreed"),
                 ("Alt", GREBENAU, "rejected"), ("Alt", SCHLITZ, "rejected"),
                 ("Alt", SCHWALMTAL, "rejected"), ("", ROMROD, "declined"))


@pytest.fixture(scope="module")
def completed(basis, negotiated):
    return basis.complete(negotiated)


def test_complete_on_hessen_keeps_refuses_and_leaves_out(completed, basis, municipalities):
    document = completed.document
    assert document.groups("agreed") == [(FELDATAL, MUECKE)]
    assert document.groups("rejected") == [(GREBENAU, SCHLITZ, SCHWALMTAL)]
    assert document.declined() == (ROMROD,)
    proposed = document.groups("proposed")
    assert (GREBENAU, SCHLITZ, SCHWALMTAL) not in proposed
    assert ROMROD not in {a for g in proposed for a in g}
    # the same as the engine asked directly, and every proposed Verbund valid
    direct = plan(municipalities, basis.rules.replace(lock=((FELDATAL, MUECKE),),
                                                      exclude=(ROMROD,)),
                  funded=funded_ags(), adjacency=basis.adjacency,
                  rejected=[(GREBENAU, SCHLITZ, SCHWALMTAL)])
    assert completed.covered == direct.n_covered == 226
    assert completed.covered_free == 228
    assert completed.check.verbuende["valid"].all()
    assert len(proposed) == len(direct.consortia) - 1 == 91


def test_complete_says_what_each_decision_costs(completed):
    costs = completed.costs.set_index("decision")
    assert costs.loc["kept", ["verbund", "covered_without", "cost"]].tolist() == [
        "Nord", 227, 1]
    assert costs.loc["rejected", ["verbund", "covered_without", "cost"]].tolist() == [
        "Alt", 227, 1]
    assert costs.loc["declined", ["member_names", "cost"]].tolist() == [("Romrod",), 0]
    lines = cost_lines(completed)
    assert lines[0] == ("226 statt 228 kleiner Gemeinden im Verbund: die Entscheidungen "
                        "kosten zusammen 2.")
    assert lines[1] == ("  festgehalten: Nord (Feldatal, Mücke) — ohne diese Entscheidung "
                        "227 (+1)")
    with speaking("en"):
        assert "need not add up" in cost_lines(completed)[-1]


def test_open_verbuende_are_kept_when_optimal_and_reported_when_not(basis):
    document = _rows(("mein Vorschlag", GREBENAU, "in_talks"),
                     ("mein Vorschlag", SCHLITZ, "in_talks"),
                     ("mein Vorschlag", SCHWALMTAL, "in_talks"),
                     ("zu groß", ALSFELD, "proposed"), ("zu groß", ANTRIFTTAL, "proposed"))
    done = basis.complete(document, costs=False)
    assert done.document.groups("in_talks") == [(GREBENAU, SCHLITZ, SCHWALMTAL)]
    assert done.dropped["verbund"].tolist() == ["zu groß"]
    assert done.costs.empty and done.covered == 228 and done.cost is None


def test_a_kept_verbund_the_engine_cannot_keep_names_its_row(tmp_path, basis):
    lonely = read_negotiation(_write(tmp_path, HEADER + f"A,{FELDATAL},agreed,,\n"
                                                        f"B,{MUECKE},proposed,,\n"))
    with pytest.raises(InputError, match="1 Mitglied") as err:
        basis.complete(lonely)
    assert (err.value.row, err.value.column) == (2, "verbund")
    empty = read_negotiation(_write(tmp_path, HEADER + f"A,{ULRICHSTEIN},agreed,,\n"
                                                       "A,06633200,agreed,,\n", "e.csv"))
    with pytest.raises(InputError, match="keine Einwohner"):
        basis.complete(empty)


def test_a_view_of_a_kreis_holds_its_verbuende(municipalities, negotiated):
    from wirgeo.planning import PlanningRequest

    view = NegotiationBasis.of(municipalities, PlanningRequest(kreise=("Vogelsbergkreis",)))
    done = view.complete(negotiated, costs=False)
    kreis = municipalities.set_index("ags")["kreis_ags"]
    for group in done.document.groups("proposed"):
        assert any(kreis[a] == "06535" for a in group)
    assert done.covered == 226
    # the counts are the view's: 16 small Gemeinden, Romrod declined, Schwalmtal refused
    assert done.check.view == ("Vogelsbergkreis",)
    assert (done.check.placed, done.check.small) == (14, 15)


# --------------------------------------------------- round trip and the files


def test_round_trip_csv_check_complete_csv(tmp_path, basis, negotiated, completed):
    start = tmp_path / "start.csv"
    write_negotiation(negotiated, start, check=basis.check(negotiated), basis=basis)
    read = read_negotiation(start)
    assert read.rows.drop(columns="row").equals(negotiated.rows.drop(columns="row").assign(
        name=read.rows["name"]))
    done = basis.complete(read)
    out = tmp_path / "done.csv"
    written = write_negotiation(done.document, out, check=done.check, completion=done,
                                basis=basis)
    assert written == [out, twin_path(out)]
    again = read_negotiation(out)
    assert again.rows.drop(columns="row").equals(done.document.rows.drop(columns="row"))
    # completing the completed document changes nothing, to the byte
    second = basis.complete(again)
    out2 = tmp_path / "again.csv"
    write_negotiation(second.document, out2, check=second.check, completion=second,
                      basis=basis)
    assert out2.read_bytes() == out.read_bytes()
    first_book, second_book = (openpyxl.load_workbook(twin_path(p)) for p in (out, out2))
    for name in first_book.sheetnames[:-1]:      # the run sheet names the file read
        assert [[c.value for c in r] for r in first_book[name].iter_rows()] == [
            [c.value for c in r] for r in second_book[name].iter_rows()]
    # the same document written again: the same bytes
    write_negotiation(second.document, tmp_path / "x" / "again.csv", check=second.check,
                      completion=second, basis=basis)
    assert (tmp_path / "x" / "again.xlsx").read_bytes() == twin_path(out2).read_bytes()
    # and the twin reads back as the same document
    twin = read_negotiation(twin_path(out))
    assert twin.rows.drop(columns="row").equals(again.rows.drop(columns="row"))


def test_the_twin_workbook_for_people(tmp_path, basis, completed):
    path = tmp_path / "plan.xlsx"
    write_negotiation(completed.document, path, check=completed.check, completion=completed,
                      basis=basis, lang="de")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Planungsstand", "Verbünde geprüft",
                               "Kosten der Entscheidungen", "Lauf"]
    document = book["Planungsstand"]
    assert [c.value for c in document[1]] == ["Verbund", "Status", "AGS", "Gemeinde",
                                              "Anmerkung"]
    assert document["B2"].value == "vereinbart" and document["C2"].data_type == "s"
    statuses = {c.value for c in document["B"][1:]}
    assert statuses == {"vereinbart", "vorgeschlagen", "abgelehnt", "nimmt nicht teil"}
    run = {r[0].value: r[1].value for r in book["Lauf"].iter_rows(min_row=2)}
    assert run["Ergebnis"].startswith("226 von 245 kleinen Gemeinden")
    assert run["Entscheidungen"].startswith("226 statt 228")
    assert "31.12.2023" in run["Stichtag der Einwohnerzahlen"]
    assert run["Regeln"]
    english = openpyxl.load_workbook(write_negotiation(
        completed.document, tmp_path / "en.xlsx", check=completed.check, lang="en")[0])
    assert english.sheetnames[:2] == ["Plan document", "Verbünde checked"]


TRICKS = ["=HYPERLINK(\"http://x.example\",\"x\")", "+1", "-2", "@SUM(A1)",
          "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}x", "</td><b>fett</b>"]


def test_markup_template_syntax_and_formulas_are_stored_as_text(tmp_path, basis):
    rows = [{"verbund": trick, "ags": a, "status": "proposed", "note": trick}
            for trick, a in zip(TRICKS, ("06535003", "06535004", "06535005", "06535006",
                                         "06535007", "06535008", "06535009", "06535010"),
                                strict=True)]
    document = Negotiation.from_rows(rows)
    path = tmp_path / "tricks.csv"
    write_negotiation(document, path, check=basis.check(document), basis=basis)
    text = path.read_text()
    for trick in TRICKS[:4]:
        assert "'" + trick.replace('"', '""') in text
    read = read_negotiation(path)
    assert set(read.rows["verbund"]) == {("'" + t if t[0] in "=+-@" else t) for t in TRICKS}
    with zipfile.ZipFile(twin_path(path)) as book:
        sheets = "".join(book.read(n).decode() for n in book.namelist()
                         if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
    assert "<f>" not in sheets and "<script>" not in sheets
    assert "&lt;script&gt;" in sheets
    # reading it again gives the same document: stored once, safe for good
    write_negotiation(read, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text() == text


def test_reports_of_check_and_comparison(tmp_path, basis, negotiated, completed):
    check = basis.check(negotiated)
    report = pd.read_csv(write_check(check, tmp_path / "check.csv"), dtype=str,
                         keep_default_na=False)
    assert report.columns.tolist() == ["verbund", "status", "valid", "rules_failed",
                                       "member_ags", "member_names", "n_members",
                                       "population", "n_small", "kreis_names",
                                       "explanation"]
    assert report["explanation"].iloc[0] == "Erfüllt alle Regeln."
    comparison = basis.compare(negotiated, completed.document)
    changes = comparison.gemeinden
    assert changes.columns[:4].tolist() == ["ags", "name", "verbund_a", "verbund_b"]
    assert set(changes["change"]) == {"joined"}
    assert len(changes) == 226 - 2
    verbuende = comparison.verbuende
    assert set(verbuende["change"]) == {"added", "kept"}
    assert comparison.summary.loc["placed"].tolist() == [2, 226]
    write_comparison(comparison, tmp_path / "cmp.xlsx", names=("alt.csv", "neu.csv"),
                     basis=basis)
    book = openpyxl.load_workbook(tmp_path / "cmp.xlsx")
    assert book.sheetnames == ["Gemeinden", "Verbünde", "Übersicht", "Lauf"]
    assert book["Gemeinden"]["C2"].value == "neu in einem Verbund"


def test_compare_matches_verbuende_by_members_not_labels(basis):
    a = _rows(("Nord", FELDATAL, "agreed"), ("Nord", MUECKE, "agreed"),
              ("Süd", GREBENAU, "proposed"), ("Süd", SCHLITZ, "proposed"),
              ("Ost", ALSFELD, "proposed"), ("Ost", ANTRIFTTAL, "proposed"))
    b = _rows(("V1", FELDATAL, "applied"), ("V1", MUECKE, "applied"),
              ("Süd", GREBENAU, "proposed"), ("Süd", SCHLITZ, "proposed"),
              ("Süd", SCHWALMTAL, "proposed"), ("", ALSFELD, "declined"))
    comparison = basis.compare(a, b)
    changes = comparison.gemeinden.set_index("name")["change"].to_dict()
    assert changes == {"Alsfeld": "declined", "Antrifttal": "left", "Grebenau": "regrouped",
                       "Schlitz": "regrouped", "Schwalmtal": "joined"}
    kinds = comparison.verbuende.set_index("change")
    assert kinds.at["status", "verbund_a"] == "Nord" and kinds.at["status", "verbund_b"] == "V1"
    assert kinds.at["changed", "member_names_b"] == (("Grebenau", "Schlitz", "Schwalmtal"),)
    assert kinds.at["removed", "verbund_a"] == "Ost"


def test_new_document_is_the_optimal_plan(planning):
    document = new_negotiation(planning)
    assert set(document.rows["status"]) == {"proposed"}
    assert sorted(document.groups()) == sorted(
        tuple(sorted(m)) for m in planning.plan.consortia.member_ags)
    assert len(document.groups()) == 92


# ------------------------------------------------------------ a new release


def test_check_release_names_the_verbuende_that_break(tmp_path, municipalities, negotiated):
    new = municipalities.copy()
    new.loc[new["ags"] == MUECKE, "population"] = 6_000      # Feldatal + Mücke: 8,398
    new.attrs = {**municipalities.attrs, "population_date": "2024-12-31"}
    before, after = check_release(negotiated, municipalities, new)
    broke = release_breaks(before, after)
    assert broke["verbund"].tolist() == ["Nord"]
    assert broke["rules_failed"].tolist() == [("population_below_min",)]
    assert (broke["population_before"].tolist(), broke["population"].tolist()) == (
        [11895], [8398])
    assert after.population_date == "2024-12-31"
