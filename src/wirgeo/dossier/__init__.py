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

import sys
import types
from pathlib import Path
from typing import Any

from wirgeo.dossier.content import kreis_content, verbund_content
from wirgeo.dossier.render import file_name, landkreise, write, write_all, write_verbund

__all__ = ["kreis_content", "verbund_content", "write", "write_all", "write_verbund",
           "landkreise", "file_name"]


class _Package(types.ModuleType):
    """The package is also the top-level function ``wirgeo.dossier(result, kreis, path)``.

    ``wirgeo.dossier`` names this package as soon as anything imports it (Python binds a
    subpackage to its parent's attribute), so the function of that name is the package
    called, and ``wirgeo.dossier.write`` keeps working in any import order.
    """

    def __call__(self, result: Any, kreis: str, path: str | Path, *,
                 lang: str | None = None) -> Path:
        """Write the dossier of one Kreis as an A4 PDF: ``wirgeo.dossier(result, kreis, path)``.

        Parameters
        ----------
        result : OptimalPlan or Planning
            A statewide plan (:func:`wirgeo.optimal_plan` of the whole state, or a
            planning run).
        kreis : str
            The Kreis, by name or 5-digit key.
        path : str or Path
            The PDF to write (never an input file).
        lang : str, optional
            Language of the dossier (default: the setting; German).

        Returns
        -------
        Path

        Examples
        --------
        >>> import tempfile, pathlib, wirgeo
        >>> result = wirgeo.optimal_plan(wirgeo.load_municipalities())
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> wirgeo.dossier(result, "Vogelsbergkreis", folder / "vogelsberg.pdf").name
        'vogelsberg.pdf'
        """
        return write(getattr(result, "run", result), kreis, path, lang=lang)


sys.modules[__name__].__class__ = _Package
#: ``wirgeo``'s lazy map reads the name ``dossier`` here: the callable package itself.
dossier = sys.modules[__name__]
