"""The static rules: each classic mistake is found on its line, and the kit's own examples break none."""
import pytest

from runner.run import static_checks
from runner.model.languages import load_registry
from runner.model.lessons import load_lessons


def rules(language, source, allow=()):
    return [(f.rule, f.line) for f in static_checks.find(load_registry().get(language), source, allow)]


def test_python_blocking_sleep_and_unawaited_coroutines():
    source = """import asyncio, time
from time import sleep as nap
async def cook():
    time.sleep(1)
    nap(1)
    def helper():
        time.sleep(1)  # a plain function may block; only async code must not
async def main():
    cook()
    asyncio.sleep(1)
    await cook()
    task = asyncio.create_task(cook())
"""
    assert rules("python", source) == [("blocking-sleep", 4), ("blocking-sleep", 5), ("unawaited-coroutine", 9),
                                       ("unawaited-coroutine", 10)]
    assert rules("python", source, allow=("blocking-sleep",)) == [("unawaited-coroutine", 9), ("unawaited-coroutine", 10)]
    assert rules("python", "def broken(:\n") == []  # a syntax error is the interpreter's to explain


def test_javascript_blocking_calls_and_floating_promises():
    source = """import { setTimeout as sleep } from "node:timers/promises";
import { execSync } from "node:child_process";
async function cook() {}
const bake = async () => {};
cook();
await cook();
const kept = bake();
// cook(); in a comment is fine
sleep(100);
execSync("ls");
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
"""
    assert rules("javascript", source) == [("floating-promise", 5), ("floating-promise", 9), ("blocking-call", 10),
                                           ("blocking-call", 11)]


def test_csharp_result_wait_thread_sleep_and_async_void():
    source = """var a = Work().Result;
Work().Wait(TimeSpan.FromSeconds(1)); await Work().WaitAsync(TimeSpan.FromSeconds(1));
Work().GetAwaiter().GetResult();
Thread.Sleep(100); // .Result in a comment is fine
async void Fire() { await Task.Delay(1); }
/* Thread.Sleep(1) */
"""
    assert rules("csharp", source) == [("blocking-result", 1), ("blocking-result", 2), ("blocking-result", 3),
                                       ("thread-sleep", 4), ("async-void", 5)]


def test_a_language_without_rules_breaks_none():
    from dataclasses import replace

    assert static_checks.find(replace(load_registry().get("python"), static_rules=()), "time.sleep(1)") == []


def test_every_analysis_a_rule_names_is_there(registry):
    named = {rule.analysis for language in registry.languages.values() for rule in language.static_rules}
    assert named - {""} <= set(static_checks.ANALYSES)


@pytest.mark.parametrize("slug", [s for s, l in load_lessons(load_registry()).items() if l.exercise])
def test_the_reference_solutions_break_no_rule(slug, lessons, registry):
    lesson = lessons[slug]
    for language in registry.languages.values():
        solution = lesson.solution(language)
        assert static_checks.find(language, solution.read_text(), lesson.exercise.allow) == [], solution
