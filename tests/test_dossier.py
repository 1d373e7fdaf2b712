"""The Kreis dossier: a PDF whose text says what the Vielfaltszentrum needs to say.

Its pages are rendered to PNG (Debian's pdftoppm) and kept in artifacts/dossier/ so a
person can look at them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf import pdf_pages, pdf_text

from wirgeo.wording import with_reasons

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "dossier"


def _text(path: Path) -> str:
    return pdf_text(path)  # white space folded: table cells may wrap


@pytest.fixture(scope="module")
def vogelsberg(tmp_path_factory):
    from wirgeo.cli import main

    out = tmp_path_factory.mktemp("dossier") / "vogelsberg.pdf"
    assert main(["dossier", "--kreis", "Vogelsbergkreis", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def run(municipalities):
    from wirgeo.planning import PlanningRequest

    return PlanningRequest().run(municipalities)


def test_the_dossier_says_what_the_centre_needs(vogelsberg, run):
    text = _text(vogelsberg)
    assert "Vogelsbergkreis" in text and "WIR-Vielfaltszentrum Vogelsbergkreis" in text
    assert "Kreisausschuss des Vogelsbergkreises" in text  # the centre's organisation
    view = run.plan.consortia[["06535" in k for k in run.plan.consortia["kreis_ags"]]]
    assert len(view) == 6
    for names in view["member_names"]:
        for name in names:
            assert name in text, name
    for cid in view["consortium_id"]:
        assert cid in text, cid
    unplaced = run.unplaced[run.unplaced["kreis_ags"] == "06535"]
    for reason in with_reasons(unplaced)["reason"]:
        assert re.sub(r"\s+", " ", reason) in text, reason
    for heading in ("Eckdaten", "Gemeinden und ihr Weg zu KIV", "Vorgeschlagene Verbünde",
                    "Regeln und Annahmen", "Daten und Quellen", "Wie dieses Dossier entstand"):
        assert heading in text, heading
    assert "© GeoBasis-DE / BKG" in text and "Destatis" in text
    assert "fest: in jedem besten Plan" in text or "flexibel" in text
    pages = pdf_pages(vogelsberg)
    assert len(pages) >= 4
    assert "Seite 1 / " in _text(vogelsberg)


def test_the_risk_of_schlitz_is_said_and_every_page_is_dated(vogelsberg, run):
    """Schlitz (9,987, 13 below the line) leads a firm Verbund: said on page 1, in its
    route and in its Verbund; every page's footer carries the run date."""
    from wirgeo.dossier import kreis_content

    pages = pdf_pages(vogelsberg)
    assert all("Stand: 06.12.2026" in page for page in pages)  # SOURCE_DATE_EPOCH (conftest)
    assert "Schlitz (9.987 Einwohner, knapp unter 10.000)" in pages[0]
    content = kreis_content(run, "Vogelsbergkreis")
    route = dict((row[0], row[-1]) for row in content["routes"])["Schlitz"]
    assert "knapp unter 10.000" in route
    schlitz = [v for v in content["verbuende"] if v["heading"].endswith(
        "Schlitz – Grebenau – Schwalmtal")]
    assert len(schlitz) == 1 and "Schlitz (9.987 Einwohner" in schlitz[0]["risk"]
    assert "fest" in schlitz[0]["risk"]  # a firm Verbund that depends on a member at risk
    assert "Risiko" in " ".join(pages) and schlitz[0]["heading"] in " ".join(pages)
    # a Verbund without a member near a threshold says no risk
    assert any(v["risk"] is None for v in content["verbuende"])
    # at most five alternatives, the rest counted
    assert all(len(v["alternatives"]) <= 5 for v in content["verbuende"])
    long = [v for v in content["verbuende"] if v["more"]]
    assert long and all(re.fullmatch(r"\+ \d+ weitere .*", v["more"]) for v in long)


def test_every_municipality_of_the_kreis_has_its_route(vogelsberg, municipalities):
    text = _text(vogelsberg)
    names = municipalities.loc[municipalities["kreis_ags"] == "06535", "name"]
    for name in names:
        assert name in text, name


def test_the_pages_are_rendered_for_a_look(vogelsberg):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (Debian poppler-utils) is installed by make test"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("vogelsberg-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-png", "-r", "60", str(vogelsberg),
                    str(ARTIFACTS / "vogelsberg")], check=True)
    pngs = sorted(ARTIFACTS.glob("vogelsberg-*.png"))
    assert len(pngs) == len(pdf_pages(vogelsberg))
    assert all(p.stat().st_size > 5_000 for p in pngs)


def test_same_run_same_bytes_and_english_on_request(run, tmp_path):
    from wirgeo import dossier

    first = dossier.write(run, "06535", tmp_path / "a.pdf")
    second = dossier.write(run, "Vogelsbergkreis", tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()
    english = _text(dossier.write(run, "06535", tmp_path / "en.pdf", lang="en"))
    assert "Suggested consortia" in english and "Rules and assumptions" in english
    assert "Vorgeschlagene Verbünde" not in english


def test_bad_requests_exit_2(english, run_cli, tmp_path):
    code, _, err = run_cli("dossier", "--kreis", "Vogelsburg", "--out", tmp_path / "d.pdf")
    assert code == 2 and "did you mean Vogelsbergkreis" in err and "--kreis" in err
    code, _, err = run_cli("dossier", "--kreis", "Vogelsbergkreis", "--out", tmp_path / "d.doc")
    assert code == 2 and "PDF" in err
    code, _, err = run_cli("dossier", "--out", tmp_path / "d.pdf")
    assert code == 2 and "--all" in err
    assert not any(tmp_path.iterdir())


def test_dossier_temp_folders_of_killed_runs_are_removed(run, tmp_path, monkeypatch):
    """Issue 19: the Typst sources of a killed dossier run stayed in TMPDIR."""
    import sys
    import tempfile

    from wirgeo import dossier

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    killed = tmp_path / "tmp" / f"wirgeo-dossier-{child.pid}-x"
    killed.mkdir(parents=True)
    (killed / "dossier.typ").write_text("half")
    dossier.write(run, "06535", tmp_path / "v.pdf")
    assert (tmp_path / "v.pdf").is_file()
    assert list((tmp_path / "tmp").iterdir()) == []  # the killed one and its own: gone


def test_all_with_out_is_refused_and_empty_out_is_an_error(run_cli, tmp_path):
    code, _, err = run_cli("dossier", "--all", "--out", tmp_path / "x.pdf", "--out-dir",
                           tmp_path / "d", "--lang", "en")
    assert code == 2 and "--out: --all writes one PDF per Landkreis" in err, err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "d").exists()
    code, _, err = run_cli("dossier", "--kreis", "Vogelsbergkreis", "--out", "", "--lang",
                           "en")
    assert code == 2 and "--out: is empty" in err, err


def test_rule_quotes_and_names_with_markup_are_printed_as_text(municipalities, tmp_path):
    """Issue 19: text from the rules file and the data reaches Typst as data (JSON), never
    as markup: Typst's #-code, *strong*, $math$, template syntax and HTML stay text."""
    import json
    import re

    from hostile import TRAP

    from wirgeo import dossier
    from wirgeo.core import paths
    from wirgeo.planning import PlanningRequest

    typst = '#read("/etc/hostname") *fett* $x^2$ <marke> @ref \\u{41} [x] // c'
    text = (paths.data_dir() / "kiv_rules.toml").read_text(encoding="utf-8")
    quote = json.dumps(f"{typst} {TRAP}", ensure_ascii=False)  # a TOML string
    text = re.sub(r'(\[rules\.max_members\][^\[]*?quote = )"[^"\n]*"',
                  lambda m: m[1] + quote, text, count=1)
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    mun = municipalities.copy()
    mun.attrs = dict(municipalities.attrs)
    vogelsberg = mun["ags"] == "06535001"
    mun.loc[vogelsberg, "name"] = f"Alsfeld {typst}"
    run = PlanningRequest(rules_file=rules, flexibility=False).run(mun)
    pdf = _text(dossier.write(run, "06535", tmp_path / "d.pdf"))
    flat = re.sub(r"\s+", " ", pdf)
    for piece in ('#read("/etc/hostname")', "*fett*", "$x^2$", "<marke>", "{{ 7*7 }}",
                  "<script>window.__pwned=1</script>"):
        assert piece in flat, piece


def test_the_verbund_sheet_is_one_page_for_the_application(run, run_cli, tmp_path):
    """`dossier --verbund ID`: one page with members, figures, map, risk and contact."""
    from wirgeo import dossier
    from wirgeo.errors import ArgumentError

    table = run.plan.consortia.set_index("lead_name")
    cid = table.at["Schlitz", "consortium_id"]
    path = dossier.write_verbund(run, cid, tmp_path / "v.pdf")
    pages = pdf_pages(path)
    assert len(pages) == 1
    text = _text(path)
    for part in ("6 · Schlitz – Grebenau – Schwalmtal", cid, "Mitglieder", "Grebenau",
                 "Schwalmtal", "9.987 (knapp unter 10.000)", "Risiko: Dieser feste Verbund",
                 "Gemeinsame Grenze", "WIR-Vielfaltszentrum Vogelsbergkreis",
                 "Stand: 06.12.2026"):
        assert part in text, part
    assert dossier.write_verbund(run, cid, tmp_path / "w.pdf").read_bytes() == \
        path.read_bytes()
    with pytest.raises(ArgumentError, match=re.escape(cid)):
        dossier.write_verbund(run, cid[:-1] + "x", tmp_path / "x.pdf")
    code, _, err = run_cli("dossier", "--verbund", cid, "--kreis", "Vogelsberg",
                           "--out", tmp_path / "y.pdf")
    assert code == 2 and "--verbund" in err
