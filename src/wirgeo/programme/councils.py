"""The Ausländerbeirat of the Hessische Gemeindeordnung, and who likely needs one.

§ 84 Satz 1 HGO: "In Gemeinden mit mehr als 1.000 gemeldeten ausländischen Einwohnern ist
ein Ausländerbeirat einzurichten; zu den ausländischen Einwohnern zählen auch Staatenlose."
Since 16.05.2020 the duty lapses when the Gemeinde forms an Integrations-Kommission
instead (§ 84 Satz 3, § 89 HGO). The text, quoted verbatim with its sources and the date
it was read, lives in the curated table ``data/hgo_auslaenderbeirat.csv``
(:func:`load_council_law`): the threshold is data, not code.

:func:`advisory_council` flags the Gemeinden whose **estimated** foreign residents (the
Zensus 2022 share of foreign nationals × the census population,
``foreign_residents``) exceed the threshold. The law counts the *registered* foreign
inhabitants (Melderegister) on its own date; the census counts differently and is of
15.05.2022 — the flag is an estimate for planning, never a legal determination, and every
output says so. A Gemeinde above the threshold may have an Integrations-Kommission
instead of a council.

Examples
--------
>>> law = load_council_law()
>>> law.threshold, law.provision, law.alternative.provision
(1000, '§ 84 Satz 1 HGO', '§ 84 Satz 3 HGO')
>>> import pandas as pd
>>> advisory_council(pd.Series([1001, 1000, None], dtype="Int64"), law).tolist()
[True, False, <NA>]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wirgeo.core import paths as _paths
from wirgeo.errors import InputError
from wirgeo.sources import read_curated_csv

__all__ = ["CouncilProvision", "CouncilLaw", "load_council_law", "advisory_council"]

_TOPICS = ("threshold", "voluntary", "alternative", "integration_commission")


@dataclass(frozen=True)
class CouncilProvision:
    """One provision: where it stands, its verbatim text, since when, where it was read."""

    provision: str
    topic: str
    quote: str
    in_force: str
    retrieved: str
    source_url: str
    further_sources: str
    note: str


@dataclass(frozen=True)
class CouncilLaw:
    """The HGO provisions on the Ausländerbeirat (``data/hgo_auslaenderbeirat.csv``).

    ``threshold``: a council is required *above* this many registered foreign
    inhabitants; ``alternative``: the Integrations-Kommission that may replace it.
    """

    threshold: int
    provisions: tuple[CouncilProvision, ...]

    def _topic(self, topic: str) -> CouncilProvision:
        return next(p for p in self.provisions if p.topic == topic)

    @property
    def rule(self) -> CouncilProvision:
        """The provision with the threshold (§ 84 Satz 1 HGO)."""
        return self._topic("threshold")

    @property
    def provision(self) -> str:
        """Where the threshold stands (``§ 84 Satz 1 HGO``)."""
        return self.rule.provision

    @property
    def alternative(self) -> CouncilProvision:
        """The Integrations-Kommission that may take the council's place."""
        return self._topic("alternative")


def load_council_law(path: str | Path | None = None) -> CouncilLaw:
    """Read and check ``data/hgo_auslaenderbeirat.csv`` (every row with its source URL).

    Raises
    ------
    InputError
        An unknown topic, a topic missing or twice, or a threshold that is not a whole
        number (naming file, row and column).
    """
    path = Path(path) if path else _paths.data_dir() / "hgo_auslaenderbeirat.csv"
    frame = read_curated_csv(path, required=["provision", "topic", "quote", "in_force",
                                             "retrieved"],
                             dates=["in_force", "retrieved"], unique=["topic"],
                             optional=["value", "further_sources", "note"])
    for row, topic in zip(frame["row"], frame["topic"], strict=True):
        if topic not in _TOPICS:
            raise InputError(path, f"unknown topic {topic!r}", row=int(row), column="topic",
                             fix="use one of " + ", ".join(_TOPICS))
    missing = [t for t in _TOPICS if t not in set(frame["topic"])]
    if missing:
        raise InputError(path, f"no row for {missing[0]!r}", column="topic",
                         fix="restore the table from git")
    row = frame[frame["topic"] == "threshold"].iloc[0]
    if not str(row["value"]).isdigit():
        raise InputError(path, f"threshold {row['value']!r} is not a whole number",
                         row=int(row["row"]), column="value", fix="write e.g. 1000")
    provisions = tuple(CouncilProvision(
        r.provision, r.topic, r.quote, r.in_force, r.retrieved, r.source_url,
        getattr(r, "further_sources", ""), getattr(r, "note", ""))
        for r in frame.itertuples(index=False))
    return CouncilLaw(int(row["value"]), provisions)


def advisory_council(foreign_residents: pd.Series, law: CouncilLaw | None = None
                     ) -> pd.Series:
    """Whether the estimated foreign residents exceed the threshold of § 84 HGO.

    ``True`` above the threshold, ``False`` at or below it, ``<NA>`` without an estimate
    (a withheld share, an uninhabited area). An estimate, not a legal determination.
    """
    law = law or load_council_law()
    estimate = pd.to_numeric(foreign_residents, errors="coerce").astype("Int64")
    return (estimate > law.threshold).astype("boolean")
