"""Aligned reading: the parts the examples mark, as the cheat sheet's pieces are marked, and every mistake in
them named with its file and line."""
import pytest

from runner.model.alignment import InvalidAlignment, align
from runner.model.cheatsheet import InvalidCheatSheet, load_cheatsheet
from runner.model.lessons import load_lessons
from tests.conftest import make_lesson

PY = "import asyncio\n\n# part: wait\nawait asyncio.sleep(1)\n# cheat sheet: timeout\nawait x()\n# end cheat sheet\n# end part\n"
JS = "// part: wait\nawait sleep(1000);\n// end part\n"
CS = "// part: wait\nawait Task.Delay(1000);\n// end part\n"


def _lesson(tmp_path, registry, **sources):
    files = {"python/nap.py": PY, "javascript/nap.mjs": JS, "csharp/nap.cs": CS}
    files.update({path.replace("__", "/").replace("_", "."): text for path, text in sources.items()})
    make_lesson(tmp_path, "nap", {path: text for path, text in files.items() if text is not None})
    return load_lessons(registry, tmp_path / "lessons")["nap"]


def test_the_kitchen_marks_the_same_parts_in_every_language(registry, lessons):
    alignment = align(lessons["kitchen"], registry)
    parts = {name: [r.group for r in regions] for name, regions in alignment.regions.items()}
    assert set(parts) == {"python", "javascript", "csharp"}
    assert {frozenset(groups) for groups in parts.values()} == {
        frozenset({"part-step", "part-sauce", "part-sequential", "part-concurrent"})}
    source = lessons["kitchen"].example(registry.get("python")).read_text().splitlines()
    lines = alignment.groups("python")
    concurrent = [n for n, groups in lines.items() if groups == ("part-concurrent",)]
    assert "gather" in " ".join(source[n - 1] for n in concurrent)
    assert source[min(concurrent) - 1].strip() == "# part: concurrent" and min(concurrent) in alignment.starts("python")


def test_a_cheat_sheet_piece_inside_a_part_comes_first_among_its_line_s_groups(tmp_path, registry):
    alignment = align(_lesson(tmp_path, registry), registry)
    groups = alignment.groups("python")
    assert groups[4] == ("part-wait",) and groups[6] == ("sheet-timeout", "part-wait")
    assert alignment.starts("python") == {3, 5} and set(groups) == set(range(3, 9))


def test_a_part_one_language_does_not_mark_is_named_with_where_the_others_mark_it(tmp_path, registry):
    with pytest.raises(InvalidAlignment) as caught:
        align(_lesson(tmp_path, registry, csharp__nap_cs="await Task.Delay(1000);\n"), registry)
    assert caught.value.problems == ["csharp/nap.cs: no `part: wait`, which python/nap.py:3 and javascript/nap.mjs:1 "
                                     "mark: mark the lines that do the same thing here too"]
    assert "nothing was written" in str(caught.value) and "end part" in str(caught.value)


def test_a_language_with_no_example_needs_no_part(tmp_path, registry):
    alignment = align(_lesson(tmp_path, registry, csharp__nap_cs=None), registry)
    assert set(alignment.regions) == {"python", "javascript"}


def test_wrong_part_markers_are_named_with_their_line(tmp_path, registry):
    with pytest.raises(InvalidAlignment) as caught:
        align(_lesson(tmp_path, registry, javascript__nap_mjs="// part: Wait Here\nawait sleep(1);\n// part: b\n"), registry)
    assert caught.value.problems == [
        "javascript/nap.mjs:1: part 'Wait Here': expected lower-case words joined by '-'",
        "javascript/nap.mjs:3: `part: b` before the `part: Wait Here` of line 1 is ended (`end part`)",
        "javascript/nap.mjs:3: `part: b` is never ended: add `end part` after its code"]


def test_a_part_marker_inside_a_cheat_sheet_piece_is_refused_by_the_cheat_sheet(tmp_path, registry):
    make_lesson(tmp_path, "nap", {"python/nap.py": "# cheat sheet: timeout\n# part: wait\nawait x()\n# end part\n"
                                                   "# end cheat sheet\n"})
    (tmp_path / "lessons" / "cheatsheet.yaml").write_text(
        "concepts:\n  - {id: timeout, title: Timeout, lesson: nap, description: Give up.}\n")
    with pytest.raises(InvalidCheatSheet) as caught:
        load_cheatsheet(registry, load_lessons(registry, tmp_path / "lessons"))
    assert caught.value.problems[:2] == [
        "python/nap.py:2: `# part: wait` inside `cheat sheet: timeout` (line 1): a part may hold a piece of the cheat "
        "sheet, not the other way round",
        "python/nap.py:4: `# end part` inside `cheat sheet: timeout` (line 1): a part may hold a piece of the cheat "
        "sheet, not the other way round"]


def test_the_site_is_not_written_while_a_lesson_s_parts_are_wrong_and_every_lesson_s_problems_are_named(tmp_path,
                                                                                                      registry):
    from runner.publish.render import render_site

    make_lesson(tmp_path, "nap", {"python/nap.py": PY, "javascript/nap.mjs": "await sleep(1000);\n"})
    make_lesson(tmp_path, "doze", {"python/doze.py": "# part: doze\nx = 1\n"})
    with pytest.raises(InvalidAlignment) as caught:
        render_site(load_lessons(registry, tmp_path / "lessons"), registry, {}, tmp_path / "site")
    assert [p.split(":")[0] for p in caught.value.problems] == ["python/doze.py", "javascript/nap.mjs"]
    assert not (tmp_path / "site").exists()
