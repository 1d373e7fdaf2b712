"""Text as data in HTML and JavaScript: the one place that escapes what wirgeo did not write.

Every text a page shows that comes from data, an option or a file name — names of
Gemeinden and Kreise, centre and grantee fields, rule quotes, titles, file names — reaches
HTML or JavaScript through one of two functions here, never by concatenation into markup,
a script or a template:

* :func:`html_text` for HTML element content and attribute values;
* :func:`script_json` for a value inside a ``<script>`` element or a JavaScript expression.

Both also keep the text inert for template engines. folium and branca render Jinja
templates, and the text a map's elements produce is rendered a *second* time when the page
is written (FIELD_NOTES 2026-12-06): ``{{ 7*7 }}`` in a name would come out as ``49``, and
worse expressions could run code. :func:`html_text` writes ``{`` and ``}`` as character
references and :func:`script_json` as ``\\u`` escapes, so no ``{{``, ``{%`` or ``{#``
from data reaches a template (the map page itself is also rendered once only, see
:mod:`wirgeo.maps._leaflet`).

Where a script can build DOM nodes itself (the planner's live map), it sets ``textContent``
and needs neither: the text travels as JSON data.

Examples
--------
>>> html_text('<img src=x onerror="alert(1)"> {{ 7*7 }}')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#123;&#123; 7*7 &#125;&#125;'
>>> html_text(float("nan")), html_text(12.0), html_text(None)
('', '12', '')
>>> print(script_json({"name": "</script><b>{% raw %}", "n": [1, {"a": "'"}]}))
{"n":[1,{"a":"\\u0027"}],"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u007b% raw %\\u007d"}
"""

from __future__ import annotations

import html
import json
import math
import numbers
import re
from typing import Any

__all__ = ["html_text", "script_json"]

# Characters written as \\u escapes inside JSON strings: the HTML parser must never see
# "</script>" or "<!--" in a script element (<, >), an attribute or a template must never
# see an ampersand entity or a quote end ('), and no template engine may see a brace.
# U+2028/2029 end a line in older JavaScript engines.
_SCRIPT_ESCAPES = {c: f"\\u{ord(c):04x}" for c in "<>&'{}\u2028\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&'{}\u2028\u2029]")
# A JSON string literal as json.dumps writes it (quotes inside are escaped).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def html_text(value: object) -> str:
    """A data value as text for HTML content or an attribute value ("" when missing).

    ``& < > " '`` become entities, ``{`` and ``}`` character references (no template
    engine reads ``{{`` in it); a float that is a whole number is written without
    ``.0`` (``12.0`` -> ``12``, as a table cell read by pandas may hold it).
    """
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer():
            value = int(number)
    text = html.escape(str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def script_json(value: Any, *, sort_keys: bool = True) -> str:
    """``value`` as compact JSON that is safe inside a ``<script>`` element and a template.

    Strings keep every character (``ensure_ascii=False``) except ``< > & '``, ``{ }`` and
    U+2028/2029, which become ``\\u`` escapes: a JavaScript engine reads the same string,
    the HTML parser cannot end the script early, and no template engine finds its
    syntax. JSON's own braces (objects) never form ``{{``, ``{%`` or ``{#``.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"),
                      allow_nan=False)
    return _JSON_STRING.sub(_escape_string, text)


def _escape_string(match: re.Match[str]) -> str:
    literal = match.group(0)
    if not _SCRIPT_UNSAFE.search(literal):
        return literal
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], literal)
