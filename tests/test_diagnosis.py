"""The shapes of a wrong output (runner/model/diagnosis.py) and a crash's excerpt (runner/model/crash.py): pure,
on outputs like the lessons' own."""
from runner.model import crash, diagnosis
from runner.model.diagnosis import Shape
from runner.model.lessons import CompareRules

RULES = CompareRules(tolerance=0.1)
GATHER = """[0.0s] asking 3 weather stations at once
[0.0s] oslo: started
[0.0s] lima: started
[0.0s] cairo: started
[0.1s] lima: finished (19 C)
[0.2s] cairo: finished (31 C)
[0.3s] oslo: finished (-3 C)
[0.3s] results in the order asked: oslo -3 C, lima 19 C, cairo 31 C
[0.3s] all 3 answers after 0.3s: the slowest station, not the sum 0.6s
"""
RACE = """[0.0s] race 1: leave the losers alone
[0.0s] eu: started
[0.0s] us: started
[0.2s] eu: finished
[0.4s] us: finished
[0.4s] race 2: cancel the losers
[0.4s] eu: started
[0.4s] us: started
[0.6s] eu: finished
[0.6s] us: cancelled
[0.6s] race 2: over after 0.2s
"""
EXPORT = """[0.0s] export: started (5 chunks of 0.4s)
[0.4s] export: chunk 1 written
[0.8s] export: chunk 2 written
[1.0s] main: stop the export
[1.0s] export: cancelled during chunk 3
[1.2s] export: cleanup done, partial file removed
[1.2s] main: the export was cancelled and cleaned up
"""


def shapes(expected: str, output: str, language: str = "") -> list[Shape]:
    return [finding.shape for finding in diagnosis.diagnose(expected, output, RULES, language)]


def told(expected: str, output: str, language: str = "") -> str:
    return "\n".join(map(str, diagnosis.diagnose(expected, output, RULES, language)))


def test_a_right_output_has_no_diagnosis():
    assert diagnosis.diagnose(GATHER, GATHER.replace("[0.2s] cairo", "[0.3s] cairo"), RULES) == ()
    # every line from line 8 on 0.1 s late: within the tolerance, so right, not "late"
    within = GATHER.replace("[0.3s] results", "[0.4s] results").replace("[0.3s] all 3", "[0.4s] all 3")
    assert diagnosis.diagnose(GATHER, within, RULES) == ()


def test_results_listed_in_the_order_their_tasks_finished():
    mine = GATHER.replace("oslo -3 C, lima 19 C, cairo 31 C", "oslo 19 C, lima 31 C, cairo -3 C")
    assert shapes(GATHER, mine) == [Shape.FINISHING_ORDER]
    assert "in the order their tasks finished (lima 19, cairo 31, oslo -3)" in told(GATHER, mine)
    assert "the order it asked in: -3, 19, 31" in told(GATHER, mine)


def test_values_in_another_order_that_is_not_the_finishing_order_are_not_called_so():
    mine = GATHER.replace("oslo -3 C, lima 19 C, cairo 31 C", "oslo 31 C, lima 19 C, cairo -3 C")
    assert shapes(GATHER, mine) == [Shape.ORDER]
    assert "finished" not in told(GATHER, mine) and "the right values in another order: 31, -3" in told(GATHER, mine)


def test_lines_in_another_order_name_the_first_place_they_part():
    # asked one after the other: oslo's answer comes before lima is even asked
    mine = GATHER.replace("[0.0s] lima: started\n[0.0s] cairo: started\n", "").replace(
        "[0.3s] oslo: finished (-3 C)\n", "").replace(
        "[0.1s] lima: finished", "[0.3s] oslo: finished (-3 C)\n[0.3s] lima: started\n[0.4s] lima: finished")
    assert Shape.ORDER in shapes(GATHER, mine)
    assert ("'[0.3s] oslo: finished (-3 C)' (line 3) comes before 'lima: started', which a right program prints "
            "first, at 0 s") in told(GATHER, mine)


def test_a_task_a_right_program_cancels_that_runs_to_its_end():
    mine = RACE.replace("[0.6s] us: cancelled\n", "").replace("over after 0.2s\n", "over after 0.4s\n[0.8s] us: finished\n")
    assert shapes(RACE, mine).count(Shape.NOT_CANCELLED) == 1
    assert ("'us' is never cancelled: it runs on to '[0.8s] us: finished' (line 11), where a right program cancels "
            "it at 0.6 s") in told(RACE, mine)
    assert Shape.DUPLICATED not in shapes(RACE, mine)  # `us: finished` twice: race 2's is not race 1's again


def test_a_task_that_never_says_it_was_cancelled():
    mine = RACE.replace("[0.6s] us: cancelled\n", "")
    assert shapes(RACE, mine) == [Shape.NOT_CANCELLED]
    assert "'us' never says it was cancelled: a right program prints '[0.6s] us: cancelled'" in told(RACE, mine)
    # a cleanup after it is no sign that it ran to its end
    cleaned = EXPORT.replace("[1.0s] export: cancelled during chunk 3\n", "")
    assert shapes(EXPORT, cleaned) == [Shape.NOT_CANCELLED] and "never cancelled" not in told(EXPORT, cleaned)


def test_work_that_goes_on_after_its_cancellation():
    mine = EXPORT.replace("[1.2s] export: cleanup", "[1.2s] export: chunk 3 written\n[1.4s] export: cleanup").replace(
        "[1.2s] main:", "[1.4s] main:")
    assert Shape.WENT_ON in shapes(EXPORT, mine)
    assert ("'export' goes on after it was cancelled: '[1.2s] export: chunk 3 written' (line 6) comes after "
            "'[1.0s] export: cancelled during chunk 3' (line 5)") in told(EXPORT, mine)


def test_a_cancellation_that_comes_late_names_the_work_done_meanwhile():
    mine = EXPORT.replace("[1.0s] export: cancelled during chunk 3", "[1.2s] export: chunk 3 written\n"
                          "[1.2s] export: cancelled during chunk 4").replace("[1.2s] export: cleanup", "[1.4s] export: cleanup")
    text = told(EXPORT, mine)
    assert "'export' is cancelled only at 1.2 s" in text and "a right program cancels it at 1 s" in text
    assert "its work goes on meanwhile, '[1.2s] export: chunk 3 written'" in text


def test_every_line_late_by_the_same_amount_keeps_its_words():
    mine = GATHER.replace("[0.3s] results", "[0.5s] results").replace("[0.3s] all 3 answers after 0.3s",
                                                                     "[0.5s] all 3 answers after 0.5s")
    assert shapes(GATHER, mine) == [Shape.LATE]
    assert "every line from line 8" in told(GATHER, mine) and "is 0.2 s late" in told(GATHER, mine)


def test_an_output_that_stops_before_the_work_is_done():
    mine = "".join(GATHER.splitlines(keepends=True)[:4])
    assert shapes(GATHER, mine) == [Shape.ENDED_EARLY]
    assert ("its output stops at 0 s: the 5 lines a right program prints never come after that, from "
            "'[0.1s] lima: finished (19 C)' on. The program ended without them") in told(GATHER, mine)


def test_a_line_sooner_than_a_right_program_can_print_it():
    mine = EXPORT.replace("[1.2s] export: cleanup", "[1.0s] export: cleanup").replace("[1.2s] main:", "[1.0s] main:")
    assert shapes(EXPORT, mine) == [Shape.EARLY]
    assert ("'[1.0s] export: cleanup done, partial file removed' (line 6) comes 0.2 s sooner than in a right "
            "program (at 1.2 s)") in told(EXPORT, mine)


def test_a_whole_run_too_fast():
    assert diagnosis.too_fast(0.9, 1.2, 0.15).shape is Shape.EARLY
    assert "it finished in 0.9 s, sooner than a right solution can (about 1.2 s)" in str(diagnosis.too_fast(0.9, 1.2, 0.15))
    assert diagnosis.too_fast(1.1, 1.2, 0.15) is None


def test_work_done_twice_and_the_lazy_query_behind_it_in_csharp():
    lines = GATHER.splitlines(keepends=True)
    mine = "".join(lines[:7] + ["[0.3s] oslo: started\n", "[0.3s] lima: started\n", "[0.3s] cairo: started\n",
                                "[0.4s] lima: finished (19 C)\n", "[0.5s] cairo: finished (31 C)\n",
                                "[0.6s] oslo: finished (-3 C)\n", lines[7].replace("0.3s", "0.6s"),
                                lines[8].replace("0.3s", "0.6s")])
    assert Shape.DUPLICATED in shapes(GATHER, mine, "csharp")
    text = told(GATHER, mine, "csharp")
    assert "'oslo: started' comes 2 times (lines 2, 8), where a right program prints it once" in text
    assert "is that work started twice?" in text and "`.ToArray()`" in text
    assert "ToArray" not in told(GATHER, mine, "python")


def test_an_unrecognised_difference_says_so_and_shows_the_diff(kit_copy):
    from runner.model.languages import load_registry
    from runner.model.lessons import load_lessons

    lesson = load_lessons(load_registry())["gather"]
    mine = lesson.expected.replace("all 3 answers", "all three answers")
    said = diagnosis.messages(lesson, lesson.expected, lesson.exercise.seconds, mine, 0.3, False, 0.15, "python")
    assert len(said) == 1 and said[0].startswith("its output is not what a right program prints, in no way the "
                                                 "checker can name (- expected, + yours):\n")
    assert "+[0.3s] all three answers after 0.3s" in said[0]


def test_the_lessons_question_about_slowness_is_left_out_when_the_work_was_done_twice():
    from runner.model.languages import load_registry
    from runner.model.lessons import load_lessons

    lesson = load_lessons(load_registry())["gather"]
    twice = lesson.expected + "".join(line.replace("[0.0s]", "[0.3s]") for line in lesson.expected.splitlines(True)[1:4])
    said = diagnosis.messages(lesson, lesson.expected, lesson.exercise.seconds, twice, 0.6, True, 0.15, "csharp")
    assert said[0] == "it finished in 0.6 s; a right solution finishes in about 0.3 s"
    assert "waiting for one station" not in "\n".join(said)
    # a line twice beside other faults: the lesson's question stays
    other = twice.replace("[0.3s] results in the order asked", "[0.6s] results in the order asked")
    assert "waiting for one station" in diagnosis.messages(lesson, lesson.expected, lesson.exercise.seconds, other.replace("lima 19", "lima 20"), 0.6, True,
                                                           0.15, "csharp")[0]


NODE = """file:///job/src/race.mjs:4
  release();
  ^

TypeError: release is not a function
""" + "".join(f"    at frame{i} (node:internal/x:{i}:1)\n" for i in range(12)) + "\nNode.js v24.1.0\n"
PYTHON = """Traceback (most recent call last):
  File "mine/retry.py", line 30, in <module>
    asyncio.run(main())
""" + "".join(f'  File "/usr/lib/python3/asyncio/x.py", line {i}, in f\n    return g()\n' for i in range(8)) + \
    """  File "mine/retry.py", line 12, in fetch
    raise TimeoutError("late")
    ^^^^^^^^^^^^^^^^^^^^^^^^^^
TimeoutError: late
"""


def test_a_crash_keeps_nodes_source_line_and_caret_and_the_innermost_python_frame():
    node = crash.excerpt(NODE, "race.mjs")
    assert node.startswith("file:///job/src/race.mjs:4\n  release();\n  ^\n\nTypeError: release is not a function\n"
                           "    ...\n")
    assert node.endswith("Node.js v24.1.0")
    python = crash.excerpt(PYTHON, "retry.py")
    assert 'File "mine/retry.py", line 12, in fetch\n    raise TimeoutError("late")' in python
    assert python.startswith('Traceback (most recent call last):\n  File "mine/retry.py", line 30, in <module>\n')
    assert len(python.splitlines()) <= crash.HEAD + crash.TAIL + 1


def test_a_frame_of_the_learners_file_deep_in_a_long_stack_is_kept_with_its_source_line():
    filler = [f"  File \"/usr/lib/python3/asyncio/x.py\", line {i}, in f" for i in range(40)]
    stderr = "\n".join(filler[:20] + ['  File "mine/retry.py", line 12, in fetch', "    await late()"] + filler[20:])
    shown = crash.excerpt(stderr, "retry.py").splitlines()
    assert shown[crash.HEAD:crash.HEAD + 4] == [crash.GAP, '  File "mine/retry.py", line 12, in fetch',
                                                "    await late()", crash.GAP]


def test_a_short_crash_is_shown_whole():
    assert crash.excerpt("Unhandled exception. System.Exception: boom\n   at Program.Main() in x.cs:line 3\n",
                         "x.cs") == "Unhandled exception. System.Exception: boom\n   at Program.Main() in x.cs:line 3"


def test_a_right_output_is_never_too_fast_even_where_the_program_runs_on_silently():
    from runner.model.languages import load_registry
    from runner.model.lessons import load_lessons

    lesson = load_lessons(load_registry())["sync-over-async"]  # its last line at 0.7 s, the program runs to 0.9 s
    assert diagnosis.messages(lesson, lesson.expected, lesson.exercise.seconds, lesson.expected, 0.7, False, 0.15, "python") == []
    assert diagnosis.messages(lesson, lesson.expected, lesson.exercise.seconds, lesson.expected, None, False, 0.15, "python") == []
