"""A program as an HTML listing: one block per source line, so that a long line wraps under its own start.

Pygments finds the tokens; the markup is the kit's own. Each line carries its number and its indentation
(`--indent`, in characters), and each run of characters between spaces is one unbreakable word, so a
wrapped line breaks only where the source has a space, and its continuation is indented under the
line's own start, never under the line numbers (runner/templates/site.css and print.css).
"""
from __future__ import annotations

import re
from html import escape

from pygments import lex
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType

LONG_WORD = 40  # a word longer than this may break anywhere rather than stick out of a narrow column
_WORDS = re.compile(r"(\s+)")


def _css_class(ttype: _TokenType) -> str:
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES[ttype]


def _lines(code: str, lexer: str) -> list[list[tuple[str, str]]]:
    """The source's lines, each a list of (css class, text) with no newline in the text."""
    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in lex(code, get_lexer_by_name(lexer, stripnl=False, ensurenl=False)):
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if piece:
                lines[-1].append((_css_class(ttype), piece))
    if lines and not lines[-1]:
        lines.pop()  # the newline that ends the file starts no line
    return lines


def _words(parts: list[tuple[str, str]]) -> str:
    """A line's tokens as HTML, each run between spaces wrapped in one unbreakable span."""
    out, word, word_len = [], [], 0

    def close():
        nonlocal word, word_len
        if word:
            text = "".join(word)
            out.append(text if word_len > LONG_WORD else f'<span class="unbroken">{text}</span>')
        word, word_len = [], 0

    for css, text in parts:
        for piece in _WORDS.split(text):
            if not piece:
                continue
            html = escape(piece, quote=False)
            html = f'<span class="{css}">{html}</span>' if css else html
            if piece.isspace():
                close()
                out.append(html)
            else:
                word.append(html)
                word_len += len(piece)
    close()
    return "".join(out)


def rows(code: str, lexer: str, first: int = 1, attributes: dict[int, dict[str, str]] | None = None) -> list[str]:
    """Each source line of `code` as the HTML of one listing line, highlighted; `first`: the first one's number;
    `attributes`: more HTML attributes of some lines, by number."""
    out = []
    for number, parts in enumerate(_lines(code.expandtabs(4), lexer), start=first):
        text = "".join(t for _, t in parts)
        indent = len(text) - len(text.lstrip(" "))
        more = "".join(f' {name}="{escape(value)}"' for name, value in (attributes or {}).get(number, {}).items())
        out.append(f'<span class="line" style="--indent:{indent}"{more}><span class="linenos">{number}</span>'
                   f'{_words(parts)}\n</span>')
    return out


# Where a listing leaves lines out (the cheat sheet's pieces of one example): a line with no code, marked in
# the gutter.
GAP = '<span class="line gap" style="--indent:0"><span class="linenos">⋮</span>\n</span>'


_NUMBER = re.compile(r'<span class="linenos">(\d+)</span>')


def block(lines: list[str]) -> str:
    """The lines (of `rows`) as one listing, its gutter as wide as its widest line number (`--digits`, 2 unless
    a number has more: 104 in a gutter for two digits breaks into 10 over 4)."""
    digits = max((len(number) for line in lines for number in _NUMBER.findall(line)), default=2)
    wide = f' style="--digits:{digits}"' if digits > 2 else ""
    return f'<div class="code"><pre{wide}><code>{"".join(lines)}</code></pre></div>\n'


def listing(code: str, lexer: str, attributes: dict[int, dict[str, str]] | None = None) -> str:
    """`code` as a highlighted listing (classes of Pygments' HtmlFormatter, under `.code`)."""
    return block(rows(code, lexer, attributes=attributes))


def listing_css(style: str) -> str:
    """Pygments' colours for `style`, scoped to `.code` (not its rules for line numbers and every `pre`)."""
    formatter = HtmlFormatter(style=style)
    return "\n".join([*formatter.get_background_style_defs(".code"), *formatter.get_token_style_defs(".code")])
