"""The cheat sheet: its rows from lessons/cheatsheet.yaml, its cells from the examples' marker comments, and
every mistake in either named with its file and line."""
import re

import pytest

from runner.model.cheatsheet import MARKER, InvalidCheatSheet, load_cheatsheet
from runner.model.lessons import load_lessons
from tests.conftest import make_lesson

SHEET = """concepts:
  - id: wait-for-all
    title: Wait for all
    lesson: gather
    description: Run several at once.
  - id: timeout
    title: Timeout
    lesson: deadline
    description: Give up at a deadline.
"""
PY = "import asyncio\n\n# cheat sheet: {0}\nawait {0}()\n# end cheat sheet\n"
JS = "// cheat sheet: {0}\nawait {0}();\n// end cheat sheet\n"
CS = "// cheat sheet: {0}\nawait {0}();\n// end cheat sheet\n"


def _kit(tmp_path, registry, sheet=SHEET, **sources):
    """Two lessons whose examples mark their concept, with `sources` (a path: its text) replacing some."""
    files = {}
    for slug, concept in (("gather", "wait-for-all"), ("deadline", "timeout")):
        files.update({f"python/{slug}.py": PY.format(concept), f"javascript/{slug}.mjs": JS.format(concept),
                      f"csharp/{slug}.cs": CS.format(concept)})
    files.update({path.replace("__", "/").replace("_", "."): text for path, text in sources.items()})
    for slug in ("gather", "deadline"):
        make_lesson(tmp_path, slug, {path: text for path, text in files.items() if f"/{slug}." in path})
    (tmp_path / "lessons" / "cheatsheet.yaml").write_text(sheet)
    return load_cheatsheet(registry, load_lessons(registry, tmp_path / "lessons"))


def _problems(tmp_path, registry, **kwargs) -> list[str]:
    with pytest.raises(InvalidCheatSheet) as caught:
        _kit(tmp_path, registry, **kwargs)
    assert "nothing was written" in str(caught.value) and "end cheat sheet" in str(caught.value)
    return caught.value.problems


def test_the_kit_s_cheat_sheet_takes_every_cell_from_its_lesson_s_example(registry, lessons):
    sheet = load_cheatsheet(registry, lessons)
    assert sheet.languages == ("python", "javascript", "csharp") and sheet.left_out == ()
    assert 10 <= len(sheet.rows) <= 14
    for row in sheet.rows:
        assert row.concept.lesson in lessons and row.concept.description
        for cell in row.cells:
            source = (lessons[row.concept.lesson].folder.parent.parent / cell.path).read_text().splitlines()
            assert cell.path.endswith(row.concept.lesson + registry.get(cell.language).extension)
            for piece in cell.pieces:  # the lines it names, as they are in the example, indentation aside
                shown = piece.code.splitlines()
                assert [line.strip() for line in source[piece.first - 1:piece.last]] == [s.strip() for s in shown]
                assert not any(MARKER.match(line) for line in shown)
            assert sum(p.code.count("\n") for p in cell.pieces) <= 16, f"{cell.path}: a cell for a cheat sheet?"


def test_a_cell_is_the_marked_code_with_its_own_line_numbers_and_indentation_removed(tmp_path, registry):
    python = ("def f():\n    # cheat sheet: wait-for-all\n    a = 1\n    if a:\n        b = 2\n    # end cheat sheet\n"
              "    c = 3\n    # cheat sheet: wait-for-all\n    await d\n    # end cheat sheet\n")
    sheet = _kit(tmp_path, registry, python__gather_py=python)
    cell = sheet.rows[0].cells[0]
    assert [(p.first, p.code) for p in cell.pieces] == [(3, "a = 1\nif a:\n    b = 2\n"), (9, "await d\n")]
    assert cell.lines == "3-5, 9" and cell.path == "python/gather.py"
    assert [row.concept.id for row in sheet.rows] == ["wait-for-all", "timeout"]


def test_a_concept_not_marked_in_a_language_names_the_file_to_mark(tmp_path, registry):
    problems = _problems(tmp_path, registry, javascript__deadline_mjs="await timeout();\n")
    assert problems == ["javascript/deadline.mjs: no code marked for 'timeout' (lessons/cheatsheet.yaml:6): put it between "
                        "`cheat sheet: timeout` and `end cheat sheet` comments"]


def test_a_language_that_marks_nothing_is_left_off_the_sheet(tmp_path, registry):
    sheet = _kit(tmp_path, registry, csharp__gather_cs="await x();\n", csharp__deadline_cs="await y();\n")
    assert sheet.languages == ("python", "javascript") and sheet.left_out == ("csharp",)
    assert all(len(row.cells) == 2 for row in sheet.rows)


def test_unmatched_markers_are_errors_with_their_line(tmp_path, registry):
    problems = _problems(tmp_path, registry,
                         python__gather_py="# cheat sheet: wait-for-all\nawait x\n",
                         javascript__gather_mjs="// cheat sheet: wait-for-all\nawait x;\n// end cheat sheet\n"
                                                "// end cheat sheet\n",
                         csharp__gather_cs="// cheat sheet: wait-for-all\n// cheat sheet: wait-for-all\nawait x;\n"
                                           "// end cheat sheet\n")
    assert "python/gather.py:1: `cheat sheet: wait-for-all` is never ended: add `end cheat sheet` after its code" in problems
    assert "javascript/gather.mjs:4: `end cheat sheet` with no `cheat sheet: ...` open" in problems
    assert any(p.startswith("csharp/gather.cs:2: `cheat sheet: wait-for-all` before the `cheat sheet: wait-for-all` "
                            "of line 1 is ended") for p in problems)


def test_a_marker_pair_around_no_code_is_an_error(tmp_path, registry):
    problems = _problems(tmp_path, registry, csharp__gather_cs="// cheat sheet: wait-for-all\n\n// end cheat sheet\n")
    assert problems[0] == "csharp/gather.cs:1: `cheat sheet: wait-for-all` encloses no code"


def test_a_marker_naming_an_unknown_concept_is_an_error_with_its_line(tmp_path, registry):
    problems = _problems(tmp_path, registry, python__gather_py=PY.format("wait-for-all")
                         + "# cheat sheet: wait-for-al\nx = 1\n# end cheat sheet\n")
    assert problems == ["python/gather.py:6: unknown concept 'wait-for-al' (did you mean 'wait-for-all'?); the "
                        "concepts are those of lessons/cheatsheet.yaml: wait-for-all, timeout"]


def test_a_concept_marked_in_another_lesson_is_an_error(tmp_path, registry):
    problems = _problems(tmp_path, registry, python__deadline_py=PY.format("timeout") + PY.format("wait-for-all"))
    assert problems == ["python/deadline.py:8: marks 'wait-for-all', which the cheat sheet takes from the lesson "
                        "'gather' (lessons/cheatsheet.yaml:2)"]


def test_mistakes_in_the_concepts_file_name_its_line(tmp_path, registry):
    sheet = SHEET.replace("lesson: deadline", "lesson: deadlines").replace("    title: Wait for all\n", "") + (
        "  - id: Timeout\n    title: T\n    lesson: gather\n    description: d\n    colour: red\n")
    problems = _problems(tmp_path, registry, sheet=sheet)
    assert "lessons/cheatsheet.yaml:2: wait-for-all: `title` is missing or empty" in problems
    assert "lessons/cheatsheet.yaml:5: timeout: unknown lesson 'deadlines' (did you mean 'deadline'?)" in problems
    assert "lessons/cheatsheet.yaml:9: Timeout: id 'Timeout': expected lower-case words joined by '-'" in problems
    assert any(re.match(r"lessons/cheatsheet.yaml:9: Timeout: unknown key 'colour'", p) for p in problems)


def test_the_markers_are_whole_line_comments_in_every_language():
    for line in ("# cheat sheet: timeout", "    // cheat sheet: timeout  ", "-- cheat sheet: timeout",
                 "// end cheat sheet", "#end cheat sheet"):
        assert MARKER.match(line), line
    for line in ('x = 1  # cheat sheet: timeout', '"# cheat sheet: timeout"', "# the cheat sheet: timeout",
                 "# end cheat sheet now"):
        assert not MARKER.match(line), line


def test_invoke_render_and_handout_refuse_a_broken_marker_and_write_nothing(kit_copy):
    import subprocess
    import sys

    gather = kit_copy / "python" / "gather.py"
    gather.write_text(gather.read_text().replace("# end cheat sheet\n", "", 1))
    line = next(n for n, text in enumerate(gather.read_text().splitlines(), 1) if "cheat sheet: wait-for-all" in text)
    for args in (["render", "--out", str(kit_copy / "site")], ["handout", "--cheatsheet", "--format", "md"]):
        done = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=kit_copy, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2, done.stderr
        assert f"python/gather.py:{line}: `cheat sheet: wait-for-all` is never ended" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (kit_copy / "site").exists() and not (kit_copy / "handouts").exists()


def test_a_broken_lessons_concepts_are_off_the_sheet_and_the_rest_is_rendered(kit_copy):
    """A broken lesson is left out of the course (README: Using it): its concepts leave the sheet, saying so."""
    import subprocess
    import sys

    (kit_copy / "lessons" / "gather" / "lesson.yaml").write_text("title: [oops\n")
    done = subprocess.run([sys.executable, "-m", "invoke", "render", "--out", str(kit_copy / "site")], cwd=kit_copy,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "gather/lesson.yaml:1" in done.stderr and "Traceback" not in done.stderr
    page = (kit_copy / "site" / "cheatsheet.html").read_text()
    assert "Off the sheet until their lessons are fixed: Wait for all." in page
    assert "First to finish" in page and ">Wait for all<" not in page
