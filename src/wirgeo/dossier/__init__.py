"""Kreis dossiers: the printed document a WIR-Vielfaltszentrum takes to the mayors.

For one Landkreis (``wirgeo dossier --kreis NAME --out FILE.pdf``) or all of them
(``--all --out-dir DIR``): a cover with the Kreis, its WIR-Vielfaltszentrum and key
figures; the print map of the Kreis; every municipality's route to KIV funding; each
suggested Verbund with members, populations, shared border, whether it is firm or flexible
and its alternatives; the rules and what they assume; the data with dates and attribution;
page numbers and the run record. German by default, A4, text selectable. For one
suggested Verbund (``--verbund ID --out FILE.pdf``): a one-page sheet for the application.

:mod:`~wirgeo.dossier.content` decides the words, :mod:`~wirgeo.dossier.render` sets them
with Typst (``templates/dossier.typ``).
"""

from wirgeo.dossier.content import kreis_content, verbund_content
from wirgeo.dossier.render import file_name, landkreise, write, write_all, write_verbund

__all__ = ["kreis_content", "verbund_content", "write", "write_all", "write_verbund",
           "landkreise", "file_name"]
