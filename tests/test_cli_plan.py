"""`wirgeo plan new/check/complete/compare` on Hessen: exit codes, what they print, files."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from wirgeo.sources import read_negotiation

DOCUMENT = """verbund,ags,status,name,note
Nord,06535003,agreed,Feldatal,Gemeinderat 12.3.
Nord,06535013,agreed,Mücke,
Groß,06535001,in_talks,Alsfeld,
Groß,06535002,in_talks,Antrifttal,
Alt,06535006,rejected,Grebenau,Schlitz will nicht
Alt,06535015,rejected,Schlitz,
Alt,06535017,rejected,Schwalmtal,
,06535014,declined,Romrod,will allein bleiben
"""


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "stand.csv"
    path.write_text(DOCUMENT)
    return path


def test_new_writes_the_optimal_plan_as_a_document_and_its_twin(run_cli, tmp_path):
    out = tmp_path / "neu.csv"
    code, stdout, err = run_cli("plan", "new", "--out", out)
    assert code == 0, err
    assert "228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)" in stdout
    document = read_negotiation(out)
    assert len(document.groups("proposed")) == 92
    book = openpyxl.load_workbook(out.with_suffix(".xlsx"), read_only=True)
    assert book.sheetnames == ["Planungsstand", "Verbünde geprüft", "Lauf"]


def test_check_prints_every_broken_verbund_with_its_sentence(run_cli, document, tmp_path):
    report = tmp_path / "pruefung.csv"
    code, stdout, err = run_cli("plan", "check", document, "--out", report)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0] == ("2 Verbünde: 1 gültig, 1 mit Regelverstoß; 1 abgelehnte Gruppe; "
                        "1 Gemeinde nimmt nicht teil")
    assert lines[1] == "platziert: 2 von 245 kleinen Gemeinden in einem gültigen Verbund"
    assert lines[2].startswith("  Groß (im Gespräch; Alsfeld, Antrifttal): Verstößt gegen")
    table = pd.read_csv(report, keep_default_na=False)
    assert table[["verbund", "valid", "rules_failed"]].to_dict("records") == [
        {"verbund": "Nord", "valid": True, "rules_failed": ""},
        {"verbund": "Groß", "valid": False, "rules_failed": "member_too_large"},
        {"verbund": "Alt", "valid": True, "rules_failed": ""}]


def test_check_in_english(run_cli, document):
    code, stdout, err = run_cli("plan", "check", document, "--lang", "en")
    assert code == 0, err
    assert stdout.splitlines()[0] == ("2 Verbünde: 1 valid, 1 breaking a rule; 1 refused "
                                      "group; 1 Gemeinde takes no part")
    assert "(in talks; Alsfeld, Antrifttal): Breaks the rules: Alsfeld (16,205)" in stdout


def test_complete_says_what_the_decisions_cost(run_cli, document, tmp_path):
    out = tmp_path / "ergaenzt.csv"
    code, stdout, err = run_cli("plan", "complete", document, "--out", out)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0].startswith("226 von 245 kleinen Gemeinden in 92 Verbünden (optimal)")
    assert lines[1] == ("226 statt 228 kleiner Gemeinden im Verbund: die Entscheidungen "
                        "kosten zusammen 2.")
    assert "  abgelehnt: Alt (Grebenau, Schlitz, Schwalmtal) — ohne diese Entscheidung " \
           "227 (+1)" in lines
    assert ("1 offener Verbund des Planungsstands ist nicht in der optimalen Ergänzung: "
            "Groß") in lines
    done = read_negotiation(out)
    assert done.groups("agreed") == [("06535003", "06535013")]
    refused = done.rows[done.rows["status"] == "rejected"].set_index("ags")
    assert refused.at["06535006", "note"] == "Schlitz will nicht"
    costs = openpyxl.load_workbook(out.with_suffix(".xlsx"))["Kosten der Entscheidungen"]
    assert [c.value for c in costs[1]][:2] == ["Entscheidung", "Verbund"]


def test_compare_lists_the_differences_and_draws_both_plans(run_cli, document, tmp_path):
    done = tmp_path / "ergaenzt.csv"
    assert run_cli("plan", "complete", document, "--out", done, "--no-costs")[0] == 0
    report, drawn = tmp_path / "vergleich.xlsx", tmp_path / "vergleich.html"
    code, stdout, err = run_cli("plan", "compare", document, done, "--out", report,
                                "--map", drawn)
    assert code == 0, err
    assert "stand.csv — platziert: 2 von 245 kleinen Gemeinden in einem gültigen " \
           "Verbund" in stdout
    assert "ergaenzt.csv — platziert: 226 von 245 kleinen Gemeinden in einem gültigen " \
           "Verbund" in stdout
    assert "225 Gemeinden anders platziert" in stdout
    assert "… und 195 weitere (alle im Bericht, --out)" in stdout
    book = openpyxl.load_workbook(report, read_only=True)
    assert book.sheetnames == ["Gemeinden", "Verbünde", "Übersicht", "Lauf"]
    page = drawn.read_text()
    assert "Plan stand.csv gegenüber ergaenzt.csv: 225 Gemeinden anders platziert" in page


def test_labels_with_markup_reach_the_map_as_text(run_cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text('verbund,ags,status\n"<img src=x onerror=alert(1)>",06535003,agreed\n'
                 '"<img src=x onerror=alert(1)>",06535013,agreed\n')
    b.write_text("verbund,ags,status\n{{ 7*7 }},06535003,agreed\n{{ 7*7 }},06535013,agreed\n"
                 "{{ 7*7 }},06535018,agreed\n")
    drawn = tmp_path / "m.html"
    code, _, err = run_cli("plan", "compare", a, b, "--map", drawn)
    assert code == 0, err
    # escaped for HTML (then for JSON): the browser test shows them as text
    page = drawn.read_text()
    assert "<img src=x" not in page
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt; (vereinbart)" in page
    assert "{{" not in page and "49 (vereinbart)" not in page
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125; (vereinbart)" in page


@pytest.mark.parametrize("args, words", [
    (["plan", "check", "{bad}"], "stand.csv, row 3, column 'status'"),
    (["plan", "check", "{unknown}"], "row 2, column 'ags'"),
    (["plan", "complete", "{doc}", "--out", "{doc}"], "overwrite an input"),
    (["plan", "check", "{doc}", "--lock", "Calden,Grebenstein"], "--lock:"),
    (["plan", "complete", "{doc}", "--out", "x.txt"], "--out:"),
    (["plan", "check", "{missing}"], "nicht gefunden"),
])
def test_bad_input_is_one_message_and_exit_2(run_cli, tmp_path, document, args, words):
    bad = tmp_path / "bad" / "stand.csv"
    bad.parent.mkdir()
    bad.write_text("verbund,ags,status\nA,06535003,agreed\nA,06535013,vielleicht\n")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("verbund,ags,status\nA,06535099,agreed\n")
    names = {"bad": bad, "unknown": unknown, "doc": document,
             "missing": tmp_path / "nowhere.csv"}
    code, stdout, err = run_cli(*[a.format(**names) for a in args])
    assert code == 2
    assert "Traceback" not in err and err.count("\n") == 1
    assert words in err


def test_the_twin_of_an_input_is_never_overwritten(run_cli, document, tmp_path):
    twin = document.with_suffix(".xlsx")
    assert run_cli("plan", "new", "--kreis", "Vogelsbergkreis", "--out", twin)[0] == 0
    before = twin.read_bytes()
    code, _, err = run_cli("plan", "complete", twin, "--out", document)
    assert code == 2 and "overwrite an input" in err
    assert twin.read_bytes() == before and document.read_text() == DOCUMENT


def test_check_with_a_new_population_names_what_breaks(run_cli, document, tmp_path,
                                                       municipalities):
    pop = municipalities.set_index("ags")["population"].copy()
    pop["06535013"] = 6_000                               # Mücke: Nord falls to 8,398
    new = tmp_path / "einwohner_2024.csv"
    pd.DataFrame({"ags": pop.index, "population": pop.to_numpy(),
                  "date": "2024-12-31"}).to_csv(new, index=False)
    report = tmp_path / "bruch.csv"
    code, stdout, err = run_cli("plan", "check", document, "--population", new, "--out",
                                report)
    assert code == 0, err
    table = pd.read_csv(report, keep_default_na=False).set_index("verbund")
    assert table["breaks"].to_dict() == {"Nord": True, "Groß": False, "Alt": False}
    assert (table.at["Nord", "population_before"], table.at["Nord", "population"]) == (
        11895, 8398)
    lines = stdout.splitlines()
    assert lines[0] == ("Einwohner 31.12.2023 → 31.12.2024: 1 Verbund des Planungsstands "
                        "passt unter den neuen Zahlen nicht mehr")
    assert lines[-2].startswith("  Nord (vereinbart; Feldatal, Mücke): Verstößt gegen die "
                                "Regeln: zusammen 8.398 Einwohner")
