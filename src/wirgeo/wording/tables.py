"""Labels beside the codes of a table written for people: :func:`with_labels`.

Examples
--------
>>> import pandas as pd
>>> from wirgeo.core.i18n import speaking
>>> frame = pd.DataFrame({"ags": ["06535016"], "eligibility": ["verbund_needed"],
...                       "near_threshold": ["below_10000"]})
>>> with speaking("de"):
...     with_labels(frame).iloc[0].tolist()
['06535016', 'verbund_needed', 'nur im Verbund', 'below_10000', 'knapp unter 10.000']
"""

from __future__ import annotations

import pandas as pd

from wirgeo.vocabulary import ELIGIBILITY, near_threshold_label

__all__ = ["with_labels"]


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``eligibility_label`` and ``near_threshold_label`` after their codes.

    The eligibility table of :func:`wirgeo.programme.eligibility` holds codes; the files
    ``wirgeo eligibility --out`` writes carry each label beside its code.
    """
    out = frame.copy()
    for code, label, words in (
            ("eligibility", "eligibility_label",
             lambda c: ELIGIBILITY.label(c) if c in ELIGIBILITY else ""),
            ("near_threshold", "near_threshold_label", near_threshold_label)):
        if code in out.columns and label not in out.columns:
            out.insert(out.columns.get_loc(code) + 1, label,
                       out[code].map(words).astype(object))
    return out
