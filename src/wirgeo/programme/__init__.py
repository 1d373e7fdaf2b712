"""The programme: WIR-Vielfaltszentren, KIV grantees, eligibility and service areas.

Two curated tables in ``data/`` describe the programme as far as public sources show it;
every row carries the URL of the page its facts come from:

``data/wir_centres.csv``
    The 33 WIR-Vielfaltszentren (21 Landkreise, 5 kreisfreie Städte, 7 Sonderstatus-
    städte). The host is named by AGS: the 5-digit Kreis key for a Landkreis or a
    kreisfreie Stadt, the 8-digit Gemeinde key for a Sonderstatusstadt. ``status`` says
    whether the hosting office is ``confirmed`` by the source or ``inferred``. A street
    address cannot be geocoded offline, so a centre is placed at the official centre
    coordinate (Destatis) of the town where its office sits (``town_ags``); exact
    ``lon``/``lat`` written into the file win. ``location_precision`` says which
    (``town`` or ``address``).
``data/kiv_grantees.csv``
    Municipalities documented as funded by KIV, by AGS, with round, years, project, amount
    where known and a ``consortium_id`` shared by the members of one Verbund application.
    The list is incomplete: the ministry speaks of 24–27 funded municipalities.

:func:`eligibility` classifies every municipality under a :class:`~wirgeo.rules.KivRules`
(``eligible_single``, ``verbund_needed``, ``not_eligible_large``, ``not_eligible_status``,
``uninhabited``), marks the funded ones and links each to the Vielfaltszentrum that serves
it, with the straight-line distance. :func:`kreis_summary` turns that into the per-Kreis
figures; :func:`wirgeo.exports.write_summary` into the Excel workbook planners pass on.

Nothing here loads the official sources: the municipalities are always an argument.

The package: :mod:`~wirgeo.programme.centres` (the centre table),
:mod:`~wirgeo.programme.grantees` (the grantee table),
:mod:`~wirgeo.programme.eligibility` (classes, funding, serving centre),
:mod:`~wirgeo.programme.councils` (the Ausländerbeirat of § 84 HGO, estimated) and
:mod:`~wirgeo.programme.kreise` (the Kreis summary). Municipality names are resolved by
:func:`wirgeo.municipalities.resolve_municipality`, re-exported here.

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities()
>>> frame = eligibility(gem)
>>> int((frame.eligibility == "eligible_single").sum())
163
>>> resolve_municipality("Weiterstdt", gem)
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'name_or_ags': keine Gemeinde namens 'Weiterstdt'. \
Abhilfe: meinten Sie Weiterstadt (06432023)? Oder die 8-stellige AGS angeben.
"""

from __future__ import annotations

from wirgeo.municipalities import resolve_municipality
from wirgeo.programme.centres import CENTRE_STATUS, HOST_TYPES, load_centres
from wirgeo.programme.councils import CouncilLaw, advisory_council, load_council_law
from wirgeo.programme.eligibility import (
    ELIGIBILITY_CLASSES,
    eligibility,
    eligibility_counts,
    programme_tables,
)
from wirgeo.programme.grantees import GRANTEE_STATUS, ROUNDS, funded_ags, load_grantees
from wirgeo.programme.kreise import kreis_summary

__all__ = [
    "HOST_TYPES",
    "CENTRE_STATUS",
    "GRANTEE_STATUS",
    "ROUNDS",
    "ELIGIBILITY_CLASSES",
    "load_centres",
    "load_grantees",
    "funded_ags",
    "programme_tables",
    "resolve_municipality",
    "eligibility",
    "eligibility_counts",
    "kreis_summary",
    "CouncilLaw",
    "advisory_council",
    "load_council_law",
]
