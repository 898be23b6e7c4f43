from pathlib import Path

from runner.model import compare
from runner.model.lessons import CompareRules, DeclaredDifference

DATA = Path(__file__).parent / "data" / "compare"
RULES = CompareRules(tolerance=0.1)
AS_SET = CompareRules(tolerance=0.1, same_time_as_set=True)
REFERENCE = """[0.0s] water: started (boil, 0.6s)
[0.6s] water: finished
[0.6s] dinner ready after 0.6s
"""


def test_jitter_within_tolerance_is_equal():
    jittered = "[0.1s] water: started (boil, 0.6s)\r\n[0.7s] water: finished\r\n[0.5s] dinner ready after 0.7s\r\n\n"
    same, _ = compare.matches(REFERENCE, jittered, RULES)
    assert same
    assert compare.diff("expected", REFERENCE, "python", jittered, RULES) == ""


def test_jitter_beyond_tolerance_is_caught():
    late = REFERENCE.replace("[0.6s] water: finished", "[0.8s] water: finished")
    assert not compare.matches(REFERENCE, late, RULES)[0]


def test_one_wrong_line_gives_a_readable_diff():
    wrong = REFERENCE.replace("water: finished", "water: burnt")
    text = compare.diff("expected", REFERENCE, "csharp", wrong, RULES)
    assert "--- expected" in text and "+++ csharp" in text
    assert "-[0.6s] water: finished" in text
    assert "+[0.6s] water: burnt" in text
    # lines that match are context, not changes
    assert "-[0.0s]" not in text and "+[0.6s] dinner" not in text


def test_missing_and_extra_lines_are_caught():
    assert not compare.matches(REFERENCE, REFERENCE + "[0.7s] extra\n", RULES)[0]
    assert not compare.matches(REFERENCE, "\n".join(REFERENCE.splitlines()[:2]), RULES)[0]


def test_same_time_lines_compare_as_a_set_only_when_declared():
    ref = "[0.0s] a: started\n[0.0s] b: started\n[0.3s] done\n"
    swapped = "[0.0s] b: started\n[0.0s] a: started\n[0.3s] done\n"
    assert not compare.matches(ref, swapped, RULES)[0]
    assert compare.matches(ref, swapped, AS_SET)[0]
    other = "[0.0s] b: started\n[0.0s] c: started\n[0.3s] done\n"
    assert not compare.matches(ref, other, AS_SET)[0]


def test_breakfast_whose_jam_does_not_wait_for_the_butter_is_not_equivalent():
    # issue 11: every line is within the tolerance of the expected one, but the jam starts with the
    # butter (0.3s) where a right program starts it when the butter is done (0.4s)
    expected = (DATA / "breakfast" / "expected.txt").read_text()
    wrong = (DATA / "breakfast" / "javascript-jam-with-butter.txt").read_text()
    assert not compare.matches(expected, wrong, AS_SET)[0]
    text = compare.diff("expected", expected, "javascript", wrong, AS_SET)
    assert "+[0.3s] jam: started" in text


def test_breakfast_with_same_moment_lines_in_another_order_is_equivalent():
    expected = (DATA / "breakfast" / "expected.txt").read_text()
    swapped = (DATA / "breakfast" / "csharp-same-moment.txt").read_text()
    assert compare.matches(expected, swapped, AS_SET)[0]
    assert not compare.matches(expected, swapped, RULES)[0]


def test_lines_reorder_only_where_both_outputs_give_them_one_stamp():
    ref = "[0.8s] a: cancelled\n[0.8s] b: cancelled\n[1.2s] done\n"
    # a late machine: both lines 0.1s late, still at one moment
    assert compare.matches(ref, "[0.9s] b: cancelled\n[0.9s] a: cancelled\n[1.2s] done\n", AS_SET)[0]
    # one line rounded into the next bucket: the run says b came before a, the reference says not
    assert not compare.matches(ref, "[0.8s] b: cancelled\n[0.9s] a: cancelled\n[1.2s] done\n", AS_SET)[0]
    # and the other way round: the reference orders them, the run prints them at one moment
    ordered = "[0.8s] a: cancelled\n[0.9s] b: cancelled\n[1.2s] done\n"
    assert not compare.matches(ordered, "[0.9s] b: cancelled\n[0.9s] a: cancelled\n[1.2s] done\n", AS_SET)[0]


def test_declared_differences_are_left_out_of_the_comparison():
    rules = CompareRules(differ=(DeclaredDifference(r"first line:", "the order differs by design"),))
    a = "[0.0s] first line: main\n[0.1s] done\n"
    b = "[0.0s] first line: task\n[0.1s] done\n"
    assert compare.matches(a, b, rules)[0]
    assert not compare.matches(a, b, RULES)[0]


def test_events_are_read_from_task_lines():
    events = compare.events(
        "[0.0s] report: started (needs 0.5s)\n[0.3s] report: cancelled\n[0.3s] report: timeout, stopped\n"
        "[0.3s] a plain note\n[0.8s] backup: finished\nno stamp: started\n"
    )
    assert [(e.time, e.task, e.kind) for e in events] == [
        (0.0, "report", "started"), (0.3, "report", "cancelled"), (0.3, "report", "timeout"),
        (0.8, "backup", "finished"),
    ]
    assert events[0].line == 1


def test_program_time_is_the_last_stamp():
    assert compare.program_time_ms(REFERENCE) == 600
    assert compare.program_time_ms("no stamps\n") is None


LIMA = """[0.0s] lima: started
[0.2s] lima: finished
[0.4s] mike: finished
[0.4s] all done after 0.4s
"""


def test_identical_outputs_shift_by_nothing():
    shift = compare.time_shift(LIMA, LIMA, RULES)
    assert shift.deltas == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert (shift.worst, shift.worst_at, shift.late_from, shift.late_by) == (0.0, None, None, None)
    assert shift.describe() == "the time stamps and durations are the same"


def test_one_line_late():
    shift = compare.time_shift(LIMA, LIMA.replace("[0.2s] lima", "[0.4s] lima"), RULES)
    assert shift.deltas == (0.0, 0.2, 0.0, 0.0, 0.0)
    assert (shift.worst, shift.worst_at, shift.late_from) == (0.2, 2, None)
    assert shift.describe() == "the time values differ by up to 0.2 s, the most on line 2 ('[0.2s] lima: finished')"
    # the last line late is also every line from it on
    last = compare.time_shift(LIMA, LIMA.replace("[0.4s] all done", "[0.6s] all done"), RULES)
    assert (last.late_from, last.late_by) == (4, 0.2)


def test_every_line_from_one_on_late():
    late = "[0.0s] lima: started\n[0.4s] lima: finished\n[0.6s] mike: finished\n[0.6s] all done after 0.6s\n"
    shift = compare.time_shift(LIMA, late, RULES)
    assert shift.deltas == (0.0, 0.2, 0.2, 0.2, 0.2)
    assert (shift.late_from, shift.late_by, shift.worst) == (2, 0.2, 0.2)
    assert shift.describe() == "every line from line 2 ('[0.2s] lima: finished') on is 0.2 s late"
    # a designed duration does not move with its line
    boil = "[0.1s] water: started (boil, 0.6s)\n[0.7s] water: finished\n"
    later = compare.time_shift(boil, "[0.3s] water: started (boil, 0.6s)\n[0.9s] water: finished\n", RULES)
    assert (later.late_from, later.late_by) == (1, 0.2)
    # lines late by different amounts are not that pattern
    uneven = "[0.0s] lima: started\n[0.4s] lima: finished\n[0.8s] mike: finished\n[0.8s] all done after 0.8s\n"
    assert compare.time_shift(LIMA, uneven, RULES).late_from is None


def test_a_different_duration_is_a_delta():
    shift = compare.time_shift(LIMA, LIMA.replace("after 0.4s", "after 0.6s"), RULES)
    assert shift.deltas == (0.0, 0.0, 0.0, 0.0, 0.2)
    assert (shift.worst, shift.worst_at, shift.late_from) == (0.2, 4, None)


def test_outputs_that_differ_in_more_than_time_have_no_shift():
    assert compare.time_shift(LIMA, LIMA.replace("mike: finished", "mike: failed"), RULES) is None
    assert compare.time_shift(LIMA, LIMA.replace("[0.4s] mike: finished\n", ""), RULES) is None
    assert compare.time_shift(LIMA, LIMA + "[0.5s] extra\n", RULES) is None
    expected = (DATA / "breakfast" / "expected.txt").read_text()
    assert compare.time_shift(expected, (DATA / "breakfast" / "javascript-jam-with-butter.txt").read_text(),
                              AS_SET) is None
    assert compare.time_shift(expected, (DATA / "breakfast" / "csharp-same-moment.txt").read_text(),
                              AS_SET).worst == 0.0


def test_shift_leaves_declared_differences_out_but_counts_their_lines():
    rules = CompareRules(differ=(DeclaredDifference(r"first line:", "the order differs by design"),))
    a = "[0.0s] first line: main\n[0.1s] go\n[0.2s] done\n"
    b = "[0.0s] first line: task\n[0.3s] go\n[0.4s] done\n"
    shift = compare.time_shift(a, b, rules)
    assert shift.deltas == (0.2, 0.2)
    assert shift.describe() == "every line from line 2 ('[0.1s] go') on is 0.2 s late"


def test_one_order_in_every_run_varies_nothing():
    assert compare.order_variations([LIMA, LIMA], RULES) == []
    late = "[0.0s] lima: started\n[0.4s] lima: finished\n[0.6s] mike: finished\n[0.6s] all done after 0.6s\n"
    assert compare.order_variations([LIMA, late, LIMA], RULES) == []
    assert compare.order_variations([LIMA], RULES) == []


def test_lines_that_swap_in_one_run_are_both_named():
    swapped = "[0.0s] lima: started\n[0.4s] mike: finished\n[0.4s] lima: finished\n[0.4s] all done after 0.4s\n"
    assert compare.order_variations([LIMA, LIMA, swapped], RULES) == ["[#s] lima: finished", "[#s] mike: finished"]
    # at one time stamp in every run, same_time_as_set lets them come in either order
    one_moment = LIMA.replace("[0.2s] lima", "[0.4s] lima")
    assert compare.order_variations([one_moment, swapped], AS_SET) == []
    assert compare.order_variations([LIMA, swapped], AS_SET) == ["[#s] lima: finished", "[#s] mike: finished"]


def test_a_line_missing_in_one_run_varies():
    missing = LIMA.replace("[0.4s] mike: finished\n", "")
    assert compare.order_variations([LIMA, missing, LIMA], RULES) == ["[#s] mike: finished"]
    ticks = "[0.1s] tick\n[0.2s] tick\n[0.3s] done\n"
    assert compare.order_variations([ticks, ticks.replace("[0.2s] tick\n", "")], RULES) == ["[#s] tick"]


def test_any_task_name_up_to_the_colon_is_an_event():
    events = compare.events("[0.0s] toast (2 slices): started\n[0.1s] butter & jam: started\n"
                            "[0.2s] Mum's toast : finished\n[0.3s] a: b: started\n")
    assert [(e.task, e.kind) for e in events] == [
        ("toast (2 slices)", "started"), ("butter & jam", "started"), ("Mum's toast", "finished")]


def test_lines_that_look_like_events_but_are_not_are_named():
    problems = compare.event_problems(
        "[0.0s] Toast: Started\n[0.1s] toast:finished\njam: started\n[0.3s] jam: canceled\n"
        "[0.4s] wrong way: start the report\n[0.5s] race 2: cancel the losers\n[0.6s] jam: finished\n")
    assert len(problems) == 4, problems
    assert problems[0].startswith("line 1 '[0.0s] Toast: Started' looks like an event") and "'Toast: started'" in problems[0]
    assert "line 2" in problems[1] and "'toast: finished'" in problems[1]
    assert "line 3 'jam: started': an event needs a time stamp" in problems[2]
    assert "line 4" in problems[3] and "'jam: cancelled'" in problems[3]


def test_whole_seconds_are_durations_too():
    assert compare.Line.parse("[0.5s] toast ready after 1s").durations == (1.0,)
    assert compare.matches("[1.0s] waited 1s\n", "[1.0s] waited 1.1s\n", RULES)[0]
    assert not compare.matches("[1.0s] waited 1s\n", "[1.0s] waited 2s\n", RULES)[0]
