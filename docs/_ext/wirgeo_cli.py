"""The command-line reference, generated from the parser the command line itself uses.

``.. wirgeo-cli::`` writes one section per command (and per action of ``wirgeo plan`` and
``wirgeo data``): its usage line, its description and every option with its help, as
:func:`wirgeo.cli.build_parser` has them — so the page can never disagree with
``wirgeo COMMAND --help``. Option ``:lang:`` picks the language (default English).
"""

from __future__ import annotations

import argparse

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [(name, sub) for action in actions for name, sub in action.choices.items()]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace(
        "|", "\\|").replace("_", "\\_")


def _options(parser: argparse.ArgumentParser) -> list[str]:
    lines: list[str] = []
    formatter = parser._get_formatter()
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            names = ", ".join(
                f"{o} {formatter._format_args(action, action.dest.upper())}".strip()
                if action.nargs != 0 else o for o in action.option_strings)
        else:
            names = formatter._format_args(action, action.dest)
        helptext = formatter._expand_help(action) if action.help else ""
        lines += [f"``{names}``", f"   {_escape(' '.join(helptext.split()))}", ""]
    return lines


def _section(title: str, parser: argparse.ArgumentParser, underline: str) -> list[str]:
    lines = [title, underline * len(title), "", "::", ""]
    lines += ["   " + line for line in parser.format_usage().strip().splitlines()]
    lines.append("")
    if parser.description:
        lines += [_escape(" ".join(parser.description.split())), ""]
    lines += _options(parser)
    for name, sub in _subcommands(parser):
        lines += _section(f"{title} {name}", sub, "^" if underline == "-" else "~")
    return lines


class WirgeoCli(SphinxDirective):
    """Insert the reference of every ``wirgeo`` command."""

    option_spec = {"lang": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from wirgeo.cli import argparse_words, build_parser
        from wirgeo.core.i18n import speaking

        # argparse's own words ("usage:", "options:") from wirgeo's catalogs too
        with speaking(self.options.get("lang", "en")), argparse_words():
            parser = build_parser()
            lines = ["::", ""] + ["   " + line for line in
                                  parser.format_help().strip().splitlines()] + [""]
            for name, sub in _subcommands(parser):
                lines += _section(f"wirgeo {name}", sub, "-")
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="wirgeo.cli"), node)
        return node.children


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("wirgeo-cli", WirgeoCli)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
