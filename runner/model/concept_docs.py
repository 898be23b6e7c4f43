"""Where a concept of the lessons is documented in each language: lessons/concept-docs.yaml, read and checked
(every link https, on one of its language's official sites; every concept one that a lesson teaches; every
problem named with its line, all at once). Nothing here fetches a link: a link is checked for its form only.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from runner import ProblemList
from runner.model.languages import YAML_LOADER, Registry
from runner.model.lesson import Lesson

FILE_NAME = "concept-docs.yaml"  # beside the lesson folders
HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


class InvalidConceptDocs(ProblemList):
    what = "the concepts' documentation links"
    hint = "Each is an https link to a page of its language's official sites (README: Pages and handouts)."


@dataclass(frozen=True)
class DocLink:
    language: str  # its name in the registry
    url: str


@dataclass(frozen=True)
class ConceptDocs:
    links: dict[str, tuple[DocLink, ...]]  # concept -> its links, in the registry's order of languages

    def of(self, concept: str) -> tuple[DocLink, ...]:
        return self.links.get(concept, ())


def url_problem(url: object, sites: list[str]) -> str | None:
    """What is wrong with `url` as a documentation link on one of `sites` (host names); None: nothing."""
    if not isinstance(url, str) or not url:
        return "expected a URL"
    if any(c.isspace() for c in url):
        return f"{url!r} has a space in it"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"{url!r}: expected https://"
    if parts.username or parts.password or parts.port or not HOST.match(parts.hostname or ""):
        return f"{url!r}: expected a plain host name"
    if parts.hostname not in sites:
        return f"{url!r} is not on the language's official sites ({', '.join(sites)})"
    if not parts.path.strip("/"):
        return f"{url!r}: link the page, not the site"
    return None


def _lines(node: yaml.Node) -> dict[str, tuple[int, yaml.Node]]:
    """A mapping node's keys: their line and value node."""
    return {k.value: (k.start_mark.line + 1, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def load_concept_docs(registry: Registry, lessons: dict[str, Lesson], path: Path | None = None) -> ConceptDocs:
    """The links of `path` (default: lessons/concept-docs.yaml; absent: no links); raises InvalidConceptDocs.
    While a lesson is left out of the course (broken), a concept no lesson teaches is not an error: it may be
    that lesson's."""
    if not lessons:
        return ConceptDocs({})
    root = next(iter(lessons.values())).folder.parent.parent
    path = path or root / "lessons" / FILE_NAME
    if not path.exists():
        return ConceptDocs({})
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=YAML_LOADER)
        data = yaml.load(text, Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidConceptDocs([f"{name}: cannot read it: {exc}"]) from None
    top = _lines(node)
    if not isinstance(data, dict) or set(data) != {"sites", "docs"}:
        raise InvalidConceptDocs([f"{name}: expected two keys, `sites` (per language, its official sites) and "
                                  "`docs` (per concept, a link per language)"])
    problems: list[str] = []
    sites: dict[str, list[str]] = {}
    for language, (line, _) in _lines(top["sites"][1]).items():
        hosts = data["sites"][language]
        if language not in registry.languages:
            problems.append(f"{name}:{line}: unknown language {language!r}; the languages are {', '.join(registry.names)}")
        elif not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) and HOST.match(h) for h in hosts):
            problems.append(f"{name}:{line}: {language}: expected a list of host names, e.g. [docs.python.org]")
        else:
            sites[language] = hosts
    if not isinstance(data["docs"], dict):
        raise InvalidConceptDocs(problems + [f"{name}:{top['docs'][0]}: `docs`: expected a mapping of concepts"])
    taught = {concept for lesson in lessons.values() for concept in lesson.concepts}
    complete = all(folder.name in lessons for folder in (root / "lessons").iterdir() if (folder / "lesson.yaml").is_file())
    links: dict[str, tuple[DocLink, ...]] = {}
    for concept, (line, value) in _lines(top["docs"][1]).items():
        if concept not in taught and complete:
            close = difflib.get_close_matches(concept, sorted(taught), n=1)
            problems.append(f"{name}:{line}: no lesson teaches the concept {concept!r}"
                            + (f" (did you mean {close[0]!r}?)" if close else "") + ": spell it as its lesson.yaml does")
        entries = _lines(value)
        if not entries:
            problems.append(f"{name}:{line}: {concept}: expected a link per language, e.g. python: https://...")
        found = []
        for language, (at, _) in entries.items():
            url = data["docs"][concept][language]
            if language not in registry.languages:
                close = difflib.get_close_matches(language, registry.names, n=1)
                problems.append(f"{name}:{at}: {concept}: unknown language {language!r}"
                                + (f" (did you mean {close[0]!r}?)" if close else ""))
            elif language not in sites:
                problems.append(f"{name}:{at}: {concept}: {language} has no official sites under `sites`")
            elif wrong := url_problem(url, sites[language]):
                problems.append(f"{name}:{at}: {concept}: {language}: {wrong}")
            else:
                found.append(DocLink(language, url))
        order = list(registry.names)
        links[concept] = tuple(sorted(found, key=lambda link: order.index(link.language)))
    if problems:
        raise InvalidConceptDocs(problems)
    return ConceptDocs(links)
