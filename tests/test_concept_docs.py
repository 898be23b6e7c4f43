"""The concept index's links to each language's official documentation (lessons/concept-docs.yaml): checked for
their form, never fetched."""
import re
from urllib.parse import urlsplit

import pytest

from runner.model.concept_docs import InvalidConceptDocs, load_concept_docs, url_problem
from runner.model.lessons import load_lessons
from runner.publish.render import concept_index, pages, render_site
from tests.conftest import make_lesson

SITES = "sites:\n  python: [docs.python.org]\n  javascript: [developer.mozilla.org, nodejs.org]\n"


def _load(tmp_path, registry, docs: str):
    make_lesson(tmp_path, "nap", {"python/nap.py": "print('[0.0s] nap')\n"})  # its concepts: [testing]
    (tmp_path / "lessons" / "concept-docs.yaml").write_text(docs)
    return load_concept_docs(registry, load_lessons(registry, tmp_path / "lessons"))


def test_the_kit_s_links_are_https_on_their_language_s_official_sites_for_concepts_a_lesson_teaches(registry, lessons):
    docs = load_concept_docs(registry, lessons)
    taught = {concept for lesson in lessons.values() for concept in lesson.concepts}
    assert len(docs.links) >= 60 and set(docs.links) <= taught
    official = {"python": {"docs.python.org"}, "javascript": {"developer.mozilla.org", "nodejs.org"},
                "csharp": {"learn.microsoft.com"}}
    for concept, links in docs.links.items():
        assert links, concept
        assert [link.language for link in links] == [n for n in registry.names if n in {l.language for l in links}]
        for link in links:
            parts = urlsplit(link.url)
            assert parts.scheme == "https" and parts.hostname in official[link.language] and parts.path.strip("/")
    # every language has the concepts that all three teach: run all and wait, first completed, timeout, ...
    for concept in ("run all and wait", "first completed", "timeout", "cooperative cancellation", "async iteration"):
        assert [link.language for link in docs.of(concept)] == ["python", "javascript", "csharp"], concept


def test_every_concept_is_indexed_once_with_its_lessons_and_its_docs(tmp_path, registry, lessons):
    built = pages(lessons, registry, {})
    index = concept_index(built)
    assert [c for c, _ in index] == sorted({c for l in lessons.values() for c in l.concepts}, key=str.casefold)
    for concept, taught in index:
        assert [p.lesson.slug for p in taught] == [s for s, l in lessons.items() if concept in l.concepts]
    docs = load_concept_docs(registry, lessons)
    render_site(lessons, registry, {}, tmp_path, docs=docs)
    page = (tmp_path / "concepts.html").read_text()
    anchors = re.findall(r'<li id="(concept-[^"]+)">', page)
    assert len(anchors) == len(index) == len(set(anchors)), "one anchor per concept, none twice"
    item = page[page.index('<li id="concept-run-all-and-wait">'):]
    item = item[:item.index("</li>")]
    assert 'href="gather.html"' in item and all(f'href="{link.url}"' in item for link in docs.of("run all and wait"))
    assert ">Python</a> · <a" in item and ">C#</a>" in item
    assert "http://" not in page


@pytest.mark.parametrize("url, problem", [
    ("http://docs.python.org/3/library/asyncio.html", "expected https://"),
    ("https://docs.python.org.evil.example/3/", "not on the language's official sites (docs.python.org)"),
    ("https://docs.python.org:8443/3/", "expected a plain host name"),
    ("https://user@docs.python.org/3/", "expected a plain host name"),
    ("https://docs.python.org/3/library/asyncio task.html", "has a space in it"),
    ("https://docs.python.org/", "link the page, not the site"),
    ("docs.python.org/3/library/asyncio.html", "expected https://"),
    ("", "expected a URL"),
])
def test_a_link_that_is_not_a_page_of_an_official_site_is_named(url, problem):
    assert problem in url_problem(url, ["docs.python.org"])
    assert url_problem("https://docs.python.org/3/library/asyncio-task.html#asyncio.gather", ["docs.python.org"]) is None


def test_every_problem_in_the_file_is_named_with_its_line_at_once(tmp_path, registry):
    with pytest.raises(InvalidConceptDocs) as caught:
        _load(tmp_path, registry, SITES + "  kotlin: [kotlinlang.org]\ndocs:\n  testin:\n    python: http://docs.python.org/3/\n"
                                  "    javascript: https://example.com/fetch\n    pyton: https://docs.python.org/3/x\n")
    assert caught.value.problems == [
        "lessons/concept-docs.yaml:4: unknown language 'kotlin'; the languages are python, javascript, csharp",
        "lessons/concept-docs.yaml:6: no lesson teaches the concept 'testin' (did you mean 'testing'?): spell it as "
        "its lesson.yaml does",
        "lessons/concept-docs.yaml:7: testin: python: 'http://docs.python.org/3/': expected https://",
        "lessons/concept-docs.yaml:8: testin: javascript: 'https://example.com/fetch' is not on the language's official "
        "sites (developer.mozilla.org, nodejs.org)",
        "lessons/concept-docs.yaml:9: testin: unknown language 'pyton' (did you mean 'python'?)"]
    assert "nothing was written" in str(caught.value)


def test_a_course_without_the_file_has_no_links_and_a_file_without_its_two_keys_is_refused(tmp_path, registry):
    make_lesson(tmp_path, "nap", {"python/nap.py": "print('[0.0s] nap')\n"})
    assert load_concept_docs(registry, load_lessons(registry, tmp_path / "lessons")).links == {}
    with pytest.raises(InvalidConceptDocs, match="expected two keys, `sites`"):
        _load(tmp_path, registry, "docs: {}\n")
    with pytest.raises(InvalidConceptDocs, match="concept-docs.yaml: cannot read it"):
        _load(tmp_path, registry, "sites: [\n")
    docs = _load(tmp_path, registry, SITES + "docs:\n  testing: {python: 'https://docs.python.org/3/library/unittest.html'}\n")
    assert [(link.language, link.url) for link in docs.of("testing")] == [
        ("python", "https://docs.python.org/3/library/unittest.html")]


def test_render_names_a_wrong_link_or_a_part_left_unmarked_exits_2_and_writes_nothing(kit_copy):
    import subprocess
    import sys

    def render():
        return subprocess.run([sys.executable, "-m", "invoke", "render", "--out", str(kit_copy / "site")], cwd=kit_copy,
                              capture_output=True, text=True, timeout=120)

    docs = kit_copy / "lessons" / "concept-docs.yaml"
    docs.write_text(docs.read_text().replace("https://docs.python.org/3/library/asyncio-task.html#asyncio.gather",
                                             "http://docs.python.org/3/library/asyncio-task.html#asyncio.gather"))
    done = render()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.search(r"lessons/concept-docs.yaml:\d+: run all and wait: python: 'http://docs.python.org/3/library/"
                     r"asyncio-task.html#asyncio.gather': expected https://", done.stderr), done.stderr
    docs.write_text(docs.read_text().replace("http://", "https://"))
    kitchen = kit_copy / "csharp" / "kitchen.cs"
    kitchen.write_text(kitchen.read_text().replace("// part: sauce\n", "").replace("}\n// end part\n\n// part: step", "}\n\n// part: step"))
    done = render()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.search(r"csharp/kitchen.cs: no `part: sauce`, which python/kitchen.py:\d+ and javascript/kitchen.mjs:\d+ "
                     r"mark", done.stderr), done.stderr
    assert not (kit_copy / "site").exists()
