"""The Ausländerbeirat of § 84 HGO: the curated text, the estimate and where it is shown."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from wirgeo.errors import InputError
from wirgeo.programme import advisory_council, eligibility, load_council_law
from wirgeo.settings import settings

TABLE = Path(__file__).resolve().parent.parent / "data" / "hgo_auslaenderbeirat.csv"


def test_the_law_is_quoted_verbatim_with_its_sources():
    law = load_council_law()
    assert law.threshold == 1000 and law.provision == "§ 84 Satz 1 HGO"
    assert law.rule.quote == ("In Gemeinden mit mehr als 1.000 gemeldeten ausländischen "
                              "Einwohnern ist ein Ausländerbeirat einzurichten; zu den "
                              "ausländischen Einwohnern zählen auch Staatenlose.")
    assert "Integrations-Kommission" in law.alternative.quote
    with TABLE.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert all(r["source_url"].startswith("http") and r["retrieved"] for r in rows)
    assert {r["in_force"] for r in rows} == {"2020-05-16"}


def test_strictly_more_than_the_threshold_and_missing_stays_missing():
    flags = advisory_council(pd.Series([999, 1000, 1001, None], dtype="Int64"))
    assert flags.tolist() == [False, False, True, pd.NA]


def test_a_broken_table_names_row_and_column(tmp_path):
    text = TABLE.read_text(encoding="utf-8").replace(",threshold,1000,", ",threshold,1.000,")
    broken = tmp_path / "hgo.csv"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_council_law(broken)
    assert (caught.value.row, caught.value.column) == (2, "value")


def test_hessen_flags_match_the_estimate(municipalities):
    frame = eligibility(municipalities)
    flagged = frame[frame["advisory_council"].fillna(False).astype(bool)]
    expected = municipalities[municipalities["foreign_residents"].fillna(0) > 1000]
    assert set(flagged["ags"]) == set(expected["ags"]) and len(flagged) == 172
    assert frame.loc[frame["status"] == "gemeindefrei", "advisory_council"].isna().all()
    assert frame.attrs["council_threshold"] == 1000


def test_eligibility_and_summary_show_the_indicators(run_cli, tmp_path):
    code, out, err = run_cli("eligibility", "--out", tmp_path / "e.csv", "--lang", "en")
    assert code == 0, err
    assert "Ausländerbeirat (§ 84 Satz 1 HGO): 172 Gemeinden" in out
    assert "not a legal determination" in out
    assert "Statistische Ämter des Bundes und der Länder, Zensus 2022 (15.05.2022)" in out
    table = pd.read_csv(tmp_path / "e.csv", dtype={"ags": str})
    assert {"foreign_share", "migration_share", "under18_share", "over60_share",
            "foreign_residents", "advisory_council"} <= set(table.columns)
    code, out, err = run_cli("summary", "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = book["Gemeinden"]
    header = [c.value for c in sheet[1]]
    darmstadt = {h: c for h, c in zip(header, sheet[2], strict=True)}
    share = darmstadt["Ausländer % (Zensus 2022)"]
    assert (share.value, share.number_format) == (pytest.approx(0.208), "0.0%")
    assert darmstadt["Ausländische Einwohner (Schätzung: Anteil × Zensus-Einwohner)"
                     ].value == 33648
    sources = dict(book["Quellen"].iter_rows(min_row=2, values_only=True))
    assert sources["Zensus 2022"].startswith("Statistische Ämter des Bundes und der Länder, "
                                             "Zensus 2022 (15.05.2022)")
    assert "In Gemeinden mit mehr als 1.000 gemeldeten" in sources["Ausländerbeirat"]


def test_english_headers_come_from_the_catalog(municipalities):
    from wirgeo.exports import summary_sheets

    with settings.override(language="en"):
        sheets = summary_sheets(eligibility(municipalities))
    assert "Foreign nationals % (Zensus 2022)" in sheets["Municipalities"].columns
