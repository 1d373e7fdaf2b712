"""Text that must stay text wherever it goes: markup, template syntax, quotes, backslashes.

Issue 19: names, Kreis names, centre and grantee fields, rule quotes, titles and file names
reach HTML, JavaScript and Jinja templates (folium renders its templates a second time).
:data:`TRAP` holds every kind of trap at once; :func:`trap` marks it with the field it was
put in, so a test can find each field's text on the page. Anything that runs sets
``window.__pwned`` or opens a dialog; a template that is evaluated turns ``A{{ 7*7 }}B``
into :data:`EVALUATED`.
"""

from __future__ import annotations

#: Template syntax (Jinja's {{ }}, {% %}, {# #}), script and image tags, the end of a script
#: element, quotes and backslashes — all in one line, as a name or a remark could hold them.
TRAP = ('A{{ 7*7 }}B {% raw %} {# c #} <script>window.__pwned=1</script> '
        '<img src=x onerror="window.__pwned=1;alert(1)"> </script> "q" \'s\' \\ \\" ${x}')

#: What an evaluated template would have made of the first part of :data:`TRAP`.
EVALUATED = "A49B"

#: The pieces of :data:`TRAP` that must never appear unescaped in an HTML file.
MARKUP = ("<script>window.__pwned", "<img src=x", "{{ 7*7 }}", "{% raw %}", "{# c #}")


def trap(field: str) -> str:
    """:data:`TRAP` marked with the field it stands in (``name: A{{ 7*7 }}B …``)."""
    return f"{field}: {TRAP}"


#: A file name with the traps a file system allows (no "/" and no NUL).
FILE_TRAP = 'f{{ 7*7 }}<b>"x"\'{% raw %}'


def hostile_tables(municipalities, tables: dict) -> tuple:
    """The real map tables with :func:`trap` text in every field that reaches a map.

    Returns ``(municipalities, tables, places)``: copies with the traps, and the AGS of the
    Gemeinden whose fields were changed by role (``unplaced``, ``member``, ``grantee``,
    ``kreis``), so a browser test knows where to hover.
    """
    mun = municipalities.copy()
    mun.attrs = {**municipalities.attrs, "boundaries_file": f"/data/{FILE_TRAP}.gpkg",
                 "population_file": f"/data/{FILE_TRAP}.csv"}
    unplaced = tables["unplaced"].copy()
    consortia = tables["consortia"].copy()
    grantees = tables["grantees"].copy()
    centres = tables["centres"].copy()
    eligibility = tables["eligibility"].copy()
    places = {"unplaced": unplaced["ags"].iloc[0],
              "member": consortia["member_ags"].iloc[0][0],
              "grantee": grantees["ags"].iloc[0],
              "kreis": unplaced["ags"].iloc[0][:5]}
    mun.loc[mun["ags"] == places["unplaced"], "name"] = trap("name")
    mun.loc[mun["ags"] == places["member"], "name"] = trap("member")
    mun.loc[mun["kreis_ags"] == places["kreis"], "kreis_name"] = trap("kreis")
    unplaced = unplaced.assign(reason=trap("reason"), reason_code=trap("code"))
    consortia.loc[consortia.index[0], "kreis_names"] = trap("ckreis")
    for column in ("project", "round", "years", "consortium_id"):
        grantees[column] = trap(column)
    grantees["source_url"] = "javascript:window.__pwned=1"
    for column in ("name", "organisation", "street", "postcode", "town"):
        centres[column] = trap(column)
    centres["source_url"] = "https://example.org/?q={{7*7}}&x=<b>"
    eligibility = eligibility.assign(
        eligibility_label=trap("class"), near_threshold_label=trap("near"),
        centre_name=trap("centre"), funded_round=trap("funded"))
    tables = {**tables, "unplaced": unplaced, "consortia": consortia, "grantees": grantees,
              "centres": centres, "eligibility": eligibility}
    return mun, tables, places
