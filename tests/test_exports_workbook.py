"""Every workbook a planner opens is ready for work and for paper (issue 25, item 4).

Opened with openpyxl as Excel would read them: each table sheet has a filter on its
header, the header frozen and repeated on printed pages, a print setup that fits the page
width (landscape where wide), a footer with the title and the page, every web address as
a link and long text wrapped.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from wirgeo.exports import write_plan_workbook, write_summary, write_table

URL = re.compile(r"https?://\S+$")


@pytest.fixture(scope="module")
def books(planning, tmp_path_factory):
    out = tmp_path_factory.mktemp("books")
    run = planning
    partners = run.partners("Freiensteinau")
    return {
        "plan": write_plan_workbook(run, out / "plan.xlsx"),
        "summary": write_summary(run.eligibility, out / "summary.xlsx",
                                 centres=run.centres, grantees=run.grantees),
        "partners": write_table(partners, out / "partners.xlsx", sheet_name="Partner"),
    }


def _check_sheet(sheet) -> tuple[int, int]:
    """Assert the sheet is ready; return (links, wrapped cells) found."""
    width = sheet.max_column
    assert sheet.auto_filter.ref, sheet.title
    assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
    assert sheet.freeze_panes == "A2", sheet.title
    setup = sheet.page_setup
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0, sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert sheet.print_title_rows == "$1:$1", sheet.title
    assert sheet.oddFooter.left.text == "&A" and "&P" in sheet.oddFooter.right.text
    widths = sum(sheet.column_dimensions[c].width or 8
                 for c in (openpyxl.utils.get_column_letter(j) for j in range(1, width + 1)))
    assert setup.orientation == ("landscape" if widths > 95 else "portrait"), sheet.title
    links = wrapped = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and URL.match(cell.value):
                assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
                links += 1
            if isinstance(cell.value, str) and len(cell.value) > 60:
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
                wrapped += 1
    return links, wrapped


@pytest.mark.parametrize("name", ["plan", "summary", "partners"])
def test_every_sheet_has_filter_print_setup_links_and_wrapping(books, name):
    book = openpyxl.load_workbook(books[name])
    found = [_check_sheet(sheet) for sheet in book.worksheets]
    assert len(found) == len(book.worksheets)
    if name == "summary":  # the source URLs of rules, centres and grants
        assert sum(links for links, _ in found) > 10
    if name in ("plan", "summary"):
        assert sum(wrapped for _, wrapped in found) > 0
        orientations = {s.page_setup.orientation for s in book.worksheets}
        assert "landscape" in orientations


def test_the_footer_speaks_german(books):
    sheet = openpyxl.load_workbook(books["summary"]).worksheets[0]
    assert sheet.oddFooter.right.text == "Seite &P von &N"


def test_the_run_sheet_and_run_json_state_the_run_date(books, planning):
    """"Stand" from SOURCE_DATE_EPOCH (the tests set 2026-12-06): dated, and byte-identical."""
    from wirgeo.exports import run_json
    from wirgeo.planning import RunRecord

    run_sheet = openpyxl.load_workbook(books["plan"])["Lauf"]
    rows = {r[0]: r[1] for r in run_sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Stand"] == "06.12.2026"
    assert '"run_date": "2026-12-06"' in run_json(RunRecord.of(planning))


def test_tables_written_as_workbooks_speak_german(planning, tmp_path):
    """`eligibility --out x.xlsx`, `partners --out x.xlsx`: headers, words, formats."""
    from wirgeo.exports import for_files

    path = write_table(for_files(planning.eligibility), tmp_path / "e.xlsx",
                       sheet_name="Gemeinden")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert {"AGS", "Gemeinde", "Einwohner", "KIV", "Fläche km²"} <= set(header)
    assert "eligibility_label" not in header and "population" not in header
    column = header.index("Einwohner") + 1
    assert sheet.cell(row=2, column=column).number_format == "#,##0"
    kiv = {sheet.cell(row=r, column=header.index("KIV") + 1).value
           for r in range(2, sheet.max_row + 1)}
    assert "nur im Verbund" in kiv and "verbund_needed" not in kiv
    _check_sheet(sheet)


def test_the_plan_workbook_names_verbuende_and_their_risks(books):
    sheet = openpyxl.load_workbook(books["plan"])["Verbünde"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Verbund (Mitglieder)"
    schlitz = [r for r in rows if r[0] == "Schlitz – Grebenau – Schwalmtal"]
    assert len(schlitz) == 1
    near = header.index("Mitglieder knapp an einer Schwelle (kann sich mit der nächsten "
                        "Fortschreibung ändern)")
    assert schlitz[0][near] == "Schlitz (knapp unter 10.000)"
    members = openpyxl.load_workbook(books["plan"])["Gemeinden"]
    head = [c.value for c in members[1]]
    row = [r for r in members.iter_rows(min_row=2, values_only=True)
           if r[head.index("Gemeinde")] == "Schlitz"][0]
    assert row[head.index("Verbund (Mitglieder)")] == "Schlitz – Grebenau – Schwalmtal"
