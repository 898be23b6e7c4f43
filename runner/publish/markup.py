"""Markdown (lesson.md, exercise.md, the notes in lesson.yaml) as HTML: headings with anchors, tables that
scroll sideways on a narrow screen instead of breaking words, and the text cut into sections at its `##`
headings, so that a page can add to a section (the notes join "Where they differ")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")  # raw HTML in a lesson.md is escaped


def slug(text: str) -> str:
    """A heading's anchor: lower case words joined by hyphens ("Where they differ" -> where-they-differ)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _heading_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    if env.get("shift"):  # a text shown under a heading of the page's own: its headings one level down
        tokens[idx + 2].tag = token.tag = f"h{min(6, int(token.tag[1]) + env['shift'])}"
    base = slug(tokens[idx + 1].content)
    taken = env.setdefault("ids", set())
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    token.attrSet("id", anchor)
    env["open"] = anchor
    return renderer.renderToken(tokens, idx, options, env)


def _heading_close(renderer, tokens, idx, options, env):
    return f'{anchor_link(env.pop("open"))}</{tokens[idx].tag}>\n'


def anchor_link(anchor: str) -> str:
    return f'<a class="anchor" href="#{anchor}" aria-label="link to this section">#</a>'


_MARKDOWN.add_render_rule("heading_open", _heading_open)
_MARKDOWN.add_render_rule("heading_close", _heading_close)
_MARKDOWN.add_render_rule("table_open", lambda r, *a: '<div class="scroll">' + r.renderToken(*a))
_MARKDOWN.add_render_rule("table_close", lambda r, *a: r.renderToken(*a) + "</div>\n")


@dataclass(frozen=True)
class Section:
    """A part of a text from one `##` heading to the next (the part before the first has no heading)."""

    anchor: str | None
    title: str | None
    html: str


def sections(text: str, taken: set[str] | None = None, shift: int = 0) -> list[Section]:
    """`text` rendered and cut at its level-2 headings; `taken`: anchors the page already uses (and the
    text's own are added to it); `shift`: how many levels down its headings go."""
    env = {"ids": taken if taken is not None else set(), "shift": shift}
    tokens = _MARKDOWN.parse(text, env)
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    bounds = [0, *starts, len(tokens)] if not starts or starts[0] else [*starts, len(tokens)]
    out = []
    for begin, end in zip(bounds, bounds[1:]):
        if begin == end:
            continue
        html = _MARKDOWN.renderer.render(tokens[begin:end], _MARKDOWN.options, env)
        heading = tokens[begin].type == "heading_open" and begin in starts
        out.append(Section(tokens[begin].attrGet("id") if heading else None,
                           tokens[begin + 1].content if heading else None, html))
    return out


def markdown_html(text: str, taken: set[str] | None = None, shift: int = 0) -> str:
    return "".join(s.html for s in sections(text, taken, shift))


def inline_html(text: str) -> str:
    """One paragraph of Markdown (a note in lesson.yaml) as inline HTML: code spans, emphasis, links."""
    return _MARKDOWN.renderInline(text)
