"""Times and memory in one wording, for the terminal, the pages and the handouts."""
from runner.model.results import Timing
from runner.publish.figures import megabytes, seconds, spread, timing


def test_times_are_seconds_to_a_hundredth_with_the_spread_of_repeats():
    assert (seconds(600), seconds(600, "s"), seconds(None)) == ("0.60 s", "0.60s", "-")
    once, repeated = Timing(600, 600, 600), Timing(612.5, 550, 650)
    assert (spread(once), spread(repeated), spread(repeated, "–")) == ("", "0.55-0.65", "0.55–0.65")
    assert (timing(once), timing(repeated), timing(None)) == ("0.60 s", "0.61 s (0.55-0.65)", "-")


def test_memory_is_whole_megabytes():
    assert (megabytes(Timing(31_457_280, 1, 2**30)), megabytes(None)) == ("30 MB", "-")
