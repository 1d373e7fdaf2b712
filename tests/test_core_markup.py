"""wirgeo.core.markup: any text, escaped for HTML or carried as JSON, reads back unchanged
and leaves nothing a browser or a template engine would run (issue 19)."""

from __future__ import annotations

import html
import json

from hostile import TRAP
from hypothesis import given
from hypothesis import strategies as st

from wirgeo.core.markup import html_text, script_json

_ANY = st.one_of(st.text(), st.text(alphabet="{}%#<>&'\"\\/ $`abc\u2028"), st.just(TRAP))


@given(_ANY)
def test_html_text_reads_back_and_holds_no_markup_or_template_syntax(text):
    escaped = html_text(text)
    assert html.unescape(escaped) == text
    assert not set(escaped) & set("<>\"'{}")


@given(st.recursive(_ANY | st.integers() | st.booleans() | st.none(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(_ANY, inner, max_size=3), max_leaves=8))
def test_script_json_reads_back_and_cannot_end_a_script_or_start_a_template(value):
    text = script_json(value)
    assert json.loads(text) == value
    assert not set(text) & set("<>&'\u2028\u2029")
    for token in ("{{", "{%", "{#"):
        assert token not in text


def test_missing_values_and_whole_floats():
    import numpy as np
    import pandas as pd

    assert [html_text(v) for v in (None, float("nan"), pd.NA, np.nan, 12.0, np.float32(3),
                                   np.int64(5), 2.5)] == ["", "", "", "", "12", "3", "5", "2.5"]
