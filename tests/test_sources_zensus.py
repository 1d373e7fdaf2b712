"""The Zensus 2022 table: reader, territory, indicators, the embedded copy, as a release.

The expected figures of the real table are computed here from the raw CSV with the csv
module alone (no wirgeo code), so a mistake in the reader or the territory cannot hide.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from wirgeo.errors import InputError, JoinError
from wirgeo.municipalities import load
from wirgeo.settings import settings
from wirgeo.sources import find_census, read_bundle_census, read_population, read_zensus
from wirgeo.wording import record_rows, report_text

CENSUS = Path("zensus2022") / "census2022_municipality_demographics_housing_hessen.csv"
HEADER = ("ags,municipality_name,population_census22,share_under18_census22,"
          "share_18to29_census22,share_30to49_census22,share_50to59_census22,"
          "share_60plus_census22,share_foreign_census22,share_migration_bg_census22")
SHARES = {"under18_share": "share_under18_census22", "over60_share": "share_60plus_census22",
          "foreign_share": "share_foreign_census22",
          "migration_share": "share_migration_bg_census22"}


@pytest.fixture(scope="module")
def raw_rows(shared_raw):
    with (shared_raw / CENSUS).open(encoding="utf-8", newline="") as file:
        return {row["ags"]: row for row in csv.DictReader(file)}


def _write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "zensus.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the real table


def test_real_table_is_read_with_keys_as_text_and_nothing_withheld(shared_raw, raw_rows):
    table = read_zensus(shared_raw / CENSUS)
    frame = table.frame
    assert len(frame) == 422 == len(raw_rows)
    assert frame["ags"].str.fullmatch(r"06\d{6}").all() and frame["ags"].is_unique
    assert str(frame["population"].dtype) == "Int64"
    assert all(str(frame[c].dtype) == "Float64" for c in SHARES)
    assert int(frame["population"].sum()) == 6_207_278
    assert table.withheld() == {}          # the real table withholds nothing …
    assert str(table.reference_date) == "2022-05-15"
    row = frame.set_index("ags").loc["06635005"]  # … and still lists Bromskirchen
    assert row["name_official"] == "Bromskirchen" and int(row["population"]) == 1865


def test_merged_gemeinde_population_summed_and_shares_weighted(municipalities, raw_rows):
    allendorf, bromskirchen = raw_rows["06635001"], raw_rows["06635005"]
    pa, pb = float(allendorf["population_census22"]), float(bromskirchen["population_census22"])
    row = municipalities.set_index("ags").loc["06635001"]
    assert int(row["census_population"]) == int(pa + pb) == 7424
    for column, published in SHARES.items():
        expected = (float(allendorf[published]) * pa + float(bromskirchen[published]) * pb) \
            / (pa + pb)
        assert float(row[column]) == pytest.approx(expected, abs=1e-9), column
    assert int(row["foreign_residents"]) == round(float(row["foreign_share"]) * (pa + pb) / 100)
    assert "06635005" not in set(municipalities["ags"])


def test_every_hessian_gemeinde_has_its_indicators(municipalities, raw_rows):
    gem = municipalities[municipalities["status"] != "gemeindefrei"]
    assert len(gem) == 421
    columns = ["census_population", *SHARES, "foreign_residents"]
    assert gem[columns].notna().all().all()
    # the four gemeindefreie Gebiete have no row: missing, not 0
    free = municipalities[municipalities["status"] == "gemeindefrei"]
    assert len(free) == 4 and free[columns].isna().all().all()
    # the total: every person of the table, Bromskirchen's within Allendorf
    assert int(gem["census_population"].sum()) == 6_207_278
    unmerged = gem[gem["ags"] != "06635001"].set_index("ags")
    for ags, row in unmerged.iterrows():
        raw = raw_rows[ags]
        assert int(row["census_population"]) == int(float(raw["population_census22"]))
        for column, published in SHARES.items():
            assert float(row[column]) == float(raw[published]), (ags, column)
        estimate = float(raw["share_foreign_census22"]) * float(raw["population_census22"])
        assert int(row["foreign_residents"]) == round(estimate / 100)


def test_the_report_says_what_was_done_with_the_table(hessen, english):
    census = hessen.report.census
    assert census.source == "official file" and census.rows == 422 and census.matched == 421
    assert census.merges == [("06635001", "Allendorf (Eder)", ("06635005",), "2021-01-01")]
    assert census.missing == [] and census.unmatched == [] and census.withheld == {}
    text = report_text(hessen.report)
    assert "06635005 added to 06635001 Allendorf (Eder)" in text
    assert "Statistische Ämter des Bundes und der Länder, Zensus 2022 (15.05.2022)" in text
    assert hessen.municipalities.attrs["census_date"] == "2022-05-15"


def test_the_embedded_copy_gives_the_same_indicators(municipalities, setting, tmp_path):
    census = read_bundle_census()
    assert census.embedded and len(census.frame) == 421
    assert census.merged == (("06635001", "Allendorf (Eder)", ("06635005",), "2021-01-01"),)
    setting(source=None, geo=tmp_path)   # no geo/sources/: the bundle
    from_bundle = load("06", cache=False)
    assert from_bundle.report.census.source == "embedded bundle"
    columns = ["ags", "census_population", *SHARES, "foreign_residents"]
    pd.testing.assert_frame_equal(from_bundle.municipalities[columns],
                                  municipalities[columns])


def test_a_source_folder_without_the_table_reads_the_embedded_copy(tmp_path, shared_raw):
    for part in ("bkg/vg250_2016-01-01_hessen.gpkg", "destatis/31122023_Auszug_GV.xlsx"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).symlink_to(shared_raw / part)
    assert find_census(tmp_path, "06") is None
    assert find_census(shared_raw, "06") == shared_raw / CENSUS
    dataset = load("06", source=tmp_path, cache=False)
    assert dataset.report.census.source == "embedded bundle"
    assert dataset.municipalities["foreign_share"].notna().sum() == 421


# ---------------------------------------------------------------- withheld values


def test_withheld_cells_stay_missing_never_zero(tmp_path):
    path = _write(tmp_path, "06535001,Alsfeld,16022.0,16.9,11.0,24.0,15.0,30.2,,21.0",
                  "06535002,Antrifttal,1873.0,,,,,,3.0,")
    frame = read_zensus(path).frame.set_index("ags")
    assert frame.loc["06535001", "foreign_share"] is pd.NA
    assert frame.loc["06535002", "under18_share"] is pd.NA
    assert float(frame.loc["06535002", "foreign_share"]) == 3.0
    assert read_zensus(path).withheld() == {
        "under18_share": 1, "age18to29_share": 1, "age30to49_share": 1, "age50to59_share": 1,
        "over60_share": 1, "foreign_share": 1, "migration_share": 1}


def test_a_withheld_part_leaves_the_merged_share_missing(tmp_path):
    from wirgeo.municipalities import census_on_territory, read_territorial_changes

    path = _write(tmp_path, "06635001,Allendorf (Eder),5559.0,16.2,10.3,44.3,11.0,18.2,10.8,",
                  "06635005,Bromskirchen,1865.0,14.0,8.8,46.2,10.0,20.4,9.6,21.0")
    rows, merges = census_on_territory(read_zensus(path), read_territorial_changes(),
                                       "2023-12-31", "06")
    row = rows.set_index("ags").loc["06635001"]
    assert int(row["population"]) == 7424          # both parts known: summed
    assert row["migration_share"] is pd.NA          # one part withheld: not the whole
    assert float(row["foreign_share"]) == pytest.approx((10.8 * 5559 + 9.6 * 1865) / 7424)
    assert [m.old_ags for m in merges] == [("06635005",)]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("row", "column", "words"), [
    ("6535001,Alsfeld,16022.0,16.9,11,24,15,30.2,10.2,21.0", "ags", "leading zero"),
    ("06535001,Alsfeld,16022.0,16.9,11,24,15,30.2,110.2,21.0", "share_foreign_census22",
     "not a share"),
    ("06535001,Alsfeld,16022.0,16.9,11,24,15,30.2,-1,21.0", "share_foreign_census22",
     "not a share"),
    ("06535001,Alsfeld,16022.0,viel,11,24,15,30.2,10.2,21.0", "share_under18_census22",
     "not a number"),
    ("06535001,Alsfeld,16022.5,16.9,11,24,15,30.2,10.2,21.0", "population_census22",
     "not a count"),
])
def test_a_bad_cell_names_file_row_and_column(tmp_path, english, row, column, words):
    path = _write(tmp_path, "06535002,Antrifttal,1873.0,16,11,24,15,30,3.0,5.0", row)
    with pytest.raises(InputError) as caught:
        read_zensus(path)
    assert (caught.value.row, caught.value.column) == (3, column)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_a_table_without_a_column_or_with_a_gemeinde_twice_is_refused(tmp_path, english):
    short = ",".join(HEADER.split(",")[:-1])
    with pytest.raises(InputError, match="no column share_migration_bg_census22"):
        read_zensus(_write(tmp_path, "06535001,Alsfeld,1.0,1,1,1,1,1,1", header=short))
    twice = "06535001,Alsfeld,16022.0,16.9,11,24,15,30.2,10.2,21.0"
    with pytest.raises(InputError, match="appears 2 times"):
        read_zensus(_write(tmp_path, twice, twice))
    with pytest.raises(InputError, match="row has 9 fields") as caught:
        read_zensus(_write(tmp_path, "06535001,Alsfeld,16022.0,16.9,11,24,15,30.2,10.2"))
    assert caught.value.row == 2


# ---------------------------------------------------------------- as a release


def test_the_table_is_a_population_release_as_it_is(shared_raw):
    table = read_population(shared_raw / CENSUS)
    assert table.kind == "zensus2022" and str(table.reference_date) == "2022-05-15"
    assert table.attribution == ("Statistische Ämter des Bundes und der Länder, Zensus 2022 "
                                 "(15.05.2022)")
    dataset = load("06", population=shared_raw / CENSUS, cache=False)
    gem = dataset.municipalities.set_index("ags")
    assert int(gem["population"].sum()) == 6_207_278
    assert int(gem.loc["06635001", "population"]) == 7424   # Bromskirchen added
    assert dataset.report.population_merges == [
        ("06635001", "Allendorf (Eder)", ("06635005",), "2021-01-01")]
    with settings.override(language="en"):
        assert "06635005 added to 06635001" in report_text(dataset.report)


def test_a_withheld_population_is_no_release(tmp_path, english):
    path = _write(tmp_path, "06535001,Alsfeld,,16.9,11,24,15,30.2,10.2,21.0")
    with pytest.raises(InputError, match="population of AGS 06535001 is withheld") as caught:
        read_population(path)
    assert (caught.value.row, caught.value.column) == (2, "population_census22")


def test_a_partial_release_needs_its_basis_and_says_so(tmp_path, shared_raw, english,
                                                        municipalities):
    partial = tmp_path / "changes_2024.csv"
    partial.write_text("ags;population;date\n06535001;9900;2024-12-31\n"
                       "06411000;160000;2024-12-31\n", encoding="utf-8")
    with pytest.raises(JoinError) as caught:
        load("06", population=partial, cache=False)
    message = str(caught.value)
    assert "the population table lists 2 Gemeinden, 419 Gemeinden have no figure" in message
    assert "must name its basis" in message and "--basis FILE" in message
    basis = shared_raw / "destatis" / "31122023_Auszug_GV.xlsx"
    dataset = load("06", population=partial, population_basis=basis, cache=False)
    gem = dataset.municipalities.set_index("ags")
    assert int(gem.loc["06535001", "population"]) == 9900       # the changed row
    basis_rows = municipalities.set_index("ags")["population"]
    assert int(gem.loc["06412000", "population"]) == int(basis_rows["06412000"])  # basis
    assert dataset.report.population_date == "2024-12-31"
    assert "the other Gemeinden: Statistisches Bundesamt" in dataset.report.attribution[1]


# ---------------------------------------------------------------- the command line


def test_data_check_reads_the_zensus_as_population(run_cli, shared_raw):
    code, out, err = run_cli("data", "check", "--population", shared_raw / CENSUS,
                             "--no-cache", "--lang", "en")
    assert code == 0, err
    assert "as of 15 May 2022 (Zensus 2022)" in out
    assert "population total          6,207,278" in out
    assert "population table: 06635005 added to 06635001 Allendorf (Eder)" in out


def test_a_bad_census_file_exits_2_naming_the_row(run_cli, tmp_path):
    bad = _write(tmp_path, "06535001,Alsfeld,16022.0,16.9,11,24,15,30.2,110.2,21.0")
    code, out, err = run_cli("data", "check", "--census", bad, "--no-cache", "--lang", "en")
    assert code == 2 and "Traceback" not in err
    assert "row 2, column 'share_foreign_census22'" in err


def test_need_tie_break_places_as_many_and_more_foreign_residents(run_cli, municipalities,
                                                                  tmp_path):
    from wirgeo.planning import PlanningRequest, RunRecord, tie_break_preference

    plain = PlanningRequest().run(municipalities)
    need = PlanningRequest(tie_break="foreign_residents").run(municipalities)
    weights = tie_break_preference("foreign_residents", municipalities, plain.rules)
    plain_value, need_value = (sum(weights.weight_of(m)
                                   for m in run.plan.consortia.member_ags)
                               for run in (plain, need))
    assert need.plan.n_covered == plain.plan.n_covered == 228
    assert need_value == need.plan.preference_values()["foreign_residents"] == 98_092
    assert plain_value == 97_581 < need_value
    with settings.override(language="en"):
        rows = dict(record_rows(RunRecord.of(need)))
    assert "the most foreign residents" in rows["Preferred after coverage"]
    code, out, err = run_cli("consortia", "--out", tmp_path / "need.csv",
                             "--prefer-foreign-residents", "--no-flexibility", "--lang", "en")
    assert code == 0, err
    assert "covered 228 of 246" in out and "98,092" in out


def test_the_tie_break_needs_the_census(municipalities, english):
    from wirgeo.errors import ArgumentError
    from wirgeo.planning import PlanningRequest

    with pytest.raises(ArgumentError, match="argument 'tie_break': unknown tie-break"):
        PlanningRequest(tie_break="population")
    bare = municipalities.assign(foreign_residents=pd.NA)
    with pytest.raises(ArgumentError, match="no Zensus 2022 estimate"):
        PlanningRequest(tie_break="foreign_residents").run(bare)
