"""The bottom layer: where files live, how they are written, how names are compared.

Nothing here knows about municipalities, rules or maps; every other part of wirgeo may
use it. :mod:`wirgeo.core.paths` locates the curated tables, caches and outputs,
:mod:`wirgeo.core.files` writes files atomically and byte-identically, and
:mod:`wirgeo.core.text` holds the shared closest-name and URL checks.
"""
