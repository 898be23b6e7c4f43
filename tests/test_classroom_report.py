"""What the classroom shows of the course (runner/classroom/report.py): the exercises' tasks for its page."""
from __future__ import annotations

import pytest

from runner.classroom import report
from runner.model.lesson import exercises


def test_every_task_in_the_classroom_tells_the_buttons_not_the_terminal_commands(registry, lessons):
    for slug, lesson in exercises(lessons).items():
        task = report.exercise_page(lesson, registry)["task"]
        for command in ("invoke check", "invoke hint", "invoke exercise"):
            assert command not in task, (slug, command)
        assert task.endswith(report.CLASSROOM_NOTE) and task.count("<strong>Next hint</strong>") == 1, slug


@pytest.mark.parametrize("slug,kept,gone", [
    ("kitchen", ["concurrent dinner ready after 0.7s", "Leave alone: the sequential dinner"], ["Check your program"]),
    ("producer-consumer", ["back-pressure does not make the packer slower", "Do not change the log lines"],
     ["Check your program:", "<pre>"]),
    ("cancellation", ["<h2>Your task</h2>", "<h2>Leave alone</h2>", "slow-cleanup"], ["<h2>Check it</h2>"]),
])
def test_only_the_terminal_instructions_are_left_out_of_a_task(registry, lessons, slug, kept, gone):
    task = report.exercise_page(lessons[slug], registry)["task"]
    assert [words for words in kept if words not in task] == []
    assert [words for words in gone if words in task] == []
