"""The static rules: each classic mistake is found on its line, the right idioms around it are not (the
false alarms learners met are here, nearly verbatim), and the kit's own examples break none."""
import shutil

import pytest

from runner.model.languages import load_registry
from runner.model.lessons import load_lessons
from runner.run import static_checks
from runner.run.analyses import csharp, javascript
from tests.conftest import unavailable


def rules(language, source, allow=(), forbid=()):
    return [(f.rule, f.line) for f in static_checks.find(load_registry().get(language), source, allow, forbid)]


def said(language, source, forbid=()):
    return [str(f) for f in static_checks.find(load_registry().get(language), source, forbid=forbid)]


@pytest.fixture(scope="module")
def javascript_parser():
    """Node and acorn (`./bootstrap` installs it): skipped where missing, a failure under CI."""
    if shutil.which("node") is None or not (javascript.PARSER / "node_modules" / "acorn").is_dir():
        unavailable(f"the JavaScript rules need node and acorn in {javascript.PARSER}: run ./bootstrap")


@pytest.fixture(scope="module")
def csharp_parser():
    """dotnet and the rules' Roslyn program (`./bootstrap` builds it): skipped where missing, a failure under CI."""
    if shutil.which("dotnet") is None or not csharp.PROGRAM.is_file():
        unavailable(f"the C# rules need dotnet and their program built in {csharp.PARSER}: run ./bootstrap")


# --- Python ------------------------------------------------------------------------------------------

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


def test_python_gather_without_await_is_told_that_its_tasks_run_unwaited(registry):
    source = """import asyncio
from asyncio import gather as together
async def step(n): ...
async def main():
    asyncio.gather(step(1), step(2))
    together(step(3))
    await asyncio.gather(step(4))
    results = asyncio.gather(step(5))
"""
    found = static_checks.find(registry.get("python"), source)
    assert [(f.rule, f.line) for f in found] == [("unawaited-coroutine", 5), ("unawaited-coroutine", 6)]
    told = found[0].message
    # true of gather: its coroutines do run (as tasks), and the advice is not to hand it to gather
    assert "makes a task of each coroutine" in told and "never runs" not in told and "hand it to" not in told
    assert "`await asyncio.gather(...)`" in told and "`await together(...)`" in found[1].message


def test_python_a_coroutine_method_called_and_dropped():
    source = """class Connection:
    async def aclose(self): ...
    def close_now(self): ...
async def main(connections, queue):
    for c in connections:
        c.aclose()
        c.close_now()
        await c.aclose()
    asyncio.wait([])
    queue.put_nowait(1)
"""
    assert rules("python", source) == [("unawaited-coroutine", 6), ("unawaited-coroutine", 9)]
    assert "`c.aclose(...)` only makes a coroutine" in said("python", source)[0]


def test_python_busy_wait_spins_on_an_empty_body():
    source = """async def main(state, event):
    while not state.ready:
        pass
    while not state.done: ...
    while not state.ready:
        await asyncio.sleep(0.1)  # polling, but it lets go of the loop
    await event.wait()
    while (item := await state.queue.get()) is not None:  # the condition waits: no spin
        pass
    while not state.ready and (lambda: state.later)():
        pass
"""
    assert rules("python", source) == [("busy-wait", 2), ("busy-wait", 4), ("busy-wait", 10)]
    assert said("python", source)[0].startswith("line 2: `while not state.ready` with an empty body spins")


def test_python_rules_stay_quiet_on_right_code_that_looks_like_their_mistakes():
    source = """import asyncio, time
async def close(connection):
    await asyncio.sleep(0.1)
def pause():
    time.sleep(0.1)  # a plain function may block
async def main(reader, writer, clock, state):
    writer.close()  # StreamWriter's plain close, not the file's coroutine function close
    await writer.wait_closed()
    clock.sleep(1)  # another object's sleep
    print("time.sleep(1) and close(1) in a string")
    task = asyncio.create_task(close(1))
    results = await asyncio.gather(close(2), close(3))
    while not state.ready:
        await asyncio.sleep(0.1)
    await task
    return asyncio.gather(close(4))
asyncio.run(main(None, None, None, None))
"""
    assert rules("python", source) == []
    assert rules("python", source, forbid=("threads",)) == []  # nothing is handed to a thread


THREADED = """import asyncio, functools, threading, time
from concurrent.futures import ThreadPoolExecutor
def read_station(name):
    time.sleep(0.3)
    return 19
async def main(loop):
    a = await asyncio.to_thread(read_station, "oslo")
    await asyncio.to_thread(time.sleep, 0.2)
    await loop.run_in_executor(None, functools.partial(read_station, "lima"))
    threading.Thread(target=lambda: time.sleep(1)).start()
    ThreadPoolExecutor().submit(read_station, "cairo")
"""


def test_python_blocking_in_a_thread_only_where_the_exercise_forbids_threads():
    assert rules("python", THREADED) == []  # elsewhere a thread may block: that is what it is for
    assert rules("python", THREADED, forbid=("threads",)) == [
        ("blocking-in-thread", 4), ("blocking-in-thread", 8), ("blocking-in-thread", 10)]
    words = said("python", THREADED, forbid=("threads",))
    assert words[0].startswith("line 4: `time.sleep` in `read_station`, which `asyncio.to_thread` runs on a thread")
    assert "`time.sleep` in `time.sleep`, which `asyncio.to_thread`" in words[1]
    assert "in `a lambda`, which `threading.Thread` runs" in words[2]
    assert rules("python", THREADED, allow=("blocking-in-thread",), forbid=("threads",)) == []


# --- JavaScript (acorn) -----------------------------------------------------------------------------

def test_javascript_blocking_calls_and_floating_promises(javascript_parser):
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
console.log("execSync(1) and cook() in a string are fine", `${"readFileSync("}`);
"""
    assert rules("javascript", source) == [("floating-promise", 5), ("floating-promise", 9), ("blocking-call", 10),
                                           ("blocking-call", 11)]


def test_javascript_a_kept_or_handled_promise_is_not_floating(javascript_parser):
    """The false alarms: a call that starts a line as an arrow function's body, `main().catch(...)`."""
    source = """async function temperature(station) { return 19; }
async function main() {}
const names = ["oslo", "lima"];
const results = await Promise.all(
  names.map((station) =>
    temperature(station)
  )
);
const promises = names.map(async (station) =>
  temperature(station));
await Promise.all(promises);
main().catch((error) => { console.error(error); process.exitCode = 1; });
temperature("oslo").then((c) => console.log(c), (error) => console.error(error));
void temperature("cairo");
const later = temperature("lima").then((c) => c + 1);
function ask(station) {
  return temperature(station);
}
await ask("oslo");
"""
    assert rules("javascript", source) == []


def test_javascript_a_dropped_promise_is_floating_whatever_returns_it(javascript_parser):
    source = """function delay(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
const ask = (station) => temperature(station);
async function temperature(station) { await delay(100); return 19; }
class Shelf { async put(loaf) {} }
const shelf = new Shelf();
delay(100);
ask("oslo");
shelf.put(1);
temperature("lima").then((c) => console.log(c));
Promise.all([delay(1), delay(2)]);
async function main() {
  temperature("cairo");
}
await main();
"""
    assert rules("javascript", source) == [("floating-promise", n) for n in (6, 7, 8, 9, 10, 12)]
    assert said("javascript", source)[2].startswith("line 8: the promise from `shelf.put(...)` is neither awaited")


def test_javascript_foreach_with_an_async_callback(javascript_parser):
    source = """async function temperature(s) { return 19; }
const names = ["oslo"], results = [];
names.forEach(async (s) => results.push(await temperature(s)));
names.forEach(temperature);
names.forEach((s) => results.push(s));
for (const s of names) results.push(await temperature(s));
await Promise.all(names.map(async (s) => results.push(await temperature(s))));
"""
    assert rules("javascript", source) == [("foreach-async", 3), ("foreach-async", 4)]
    assert said("javascript", source)[0] == (
        "line 3: `.forEach(async (...) => ...)` drops the promise each call of the async callback returns: forEach "
        "does not wait for them, nothing else does, and their errors are lost. Loop with `for (const x of xs) await "
        "...` (one after another), or `await Promise.all(xs.map(...))` (all at once).")


def test_javascript_busy_wait(javascript_parser):
    source = """let done = false;
setTimeout(() => { done = true; }, 100);
while (!done) {}
const end = Date.now() + 100;
while (Date.now() < end);
do {} while (!done);
for (;;) {}
while (!done) { await new Promise((r) => setTimeout(r, 10)); }
for (let i = 0; i < 3; i++) {}
while ((line = await lines.next()) !== null) {}
while (!done && [1].some(async () => { await later(); })) {}
"""
    assert rules("javascript", source) == [("busy-wait", 3), ("busy-wait", 5), ("busy-wait", 6), ("busy-wait", 7),
                                           ("busy-wait", 11)]
    assert said("javascript", source)[0].startswith("line 3: `while (!done)` with an empty body spins")


def test_javascript_a_file_acorn_cannot_parse_gets_no_findings(javascript_parser):
    assert rules("javascript", "cook(;\n") == []


def test_javascript_without_its_parser_the_rules_are_left_out_and_said_so(monkeypatch):
    monkeypatch.setattr(javascript, "PARSER", javascript.PARSER / "nowhere")
    javascript._findings.cache_clear()
    examination = static_checks.examine(load_registry().get("javascript"), "async function f() {}\nf();\n")
    javascript._findings.cache_clear()
    assert examination.findings == ()
    assert len(examination.unchecked) == 1
    assert examination.unchecked[0].startswith("not checked: JavaScript's rules blocking-call, floating-promise, "
                                               "foreach-async, busy-wait: their parser (acorn) is not installed: "
                                               "run `./bootstrap`")


# --- C# ----------------------------------------------------------------------------------------------

def test_csharp_result_wait_thread_sleep_and_async_void():
    source = """var a = Work().Result;
Work().Wait(TimeSpan.FromSeconds(1)); await Work().WaitAsync(TimeSpan.FromSeconds(1));
Work().GetAwaiter().GetResult();
Thread.Sleep(100); // .Result in a comment is fine
async void Fire() { await Task.Delay(1); }
/* Thread.Sleep(1) */
Console.WriteLine("no .Result, no .Wait(), no Thread.Sleep(1), no async void here");
Console.WriteLine($"{Work().Result} and {{.Result}} in the text");
"""
    assert rules("csharp", source) == [("blocking-result", 1), ("blocking-result", 2), ("blocking-result", 3),
                                       ("thread-sleep", 4), ("async-void", 5), ("blocking-result", 8)]
    assert said("csharp", source)[0].startswith("line 1: `.Result` blocks a thread until `Work()` ends")


def test_csharp_result_of_a_task_known_to_be_complete_does_not_block():
    """The false alarm: `.Result` read after `await Task.WhenAll(...)` has completed the task."""
    source = """var tasks = names.Select(Temperature).ToList();
await Task.WhenAll(tasks);
foreach (var t in tasks) Console.WriteLine(t.Result);
Console.WriteLine(string.Join(", ", tasks.Select(t => t.Result)));
Console.WriteLine(tasks[0].Result);
var oslo = Temperature("oslo"); var lima = Temperature("lima");
await Task.WhenAll(oslo, lima);
Console.WriteLine($"{oslo.Result} {lima.Result}");
var first = await Task.WhenAny(oslo, lima);
Console.WriteLine(first.Result);
var cairo = Temperature("cairo");
await cairo;
Console.WriteLine(cairo.Result);
if (cairo.IsCompletedSuccessfully) Console.WriteLine(cairo.GetAwaiter().GetResult());
await foreach (var done in Task.WhenEach(tasks)) Console.WriteLine(done.Result);
var fetching = Temperature("lima");
var answer = await Task.WhenAny(fetching, Task.Delay(1000)) == fetching ? fetching.Result : 0;
var asking = Temperature("oslo");
var winner = await Task.WhenAny(asking, Task.Delay(1000));
if (winner == asking) Console.WriteLine(asking.Result);
"""
    assert rules("csharp", source) == []


def test_csharp_result_before_the_await_or_in_another_method_blocks():
    source = """var oslo = Temperature("oslo");
Console.WriteLine(oslo.Result);
await Task.WhenAll(oslo);
async Task Report(Task<int> lima)
{
    Console.WriteLine(lima.Result);
}
async Task Both(Task<int> lima, Task<int> cairo)
{
    await Task.WhenAll(lima);
    Console.WriteLine(cairo.Result);
}
"""
    assert rules("csharp", source) == [("blocking-result", 2), ("blocking-result", 6), ("blocking-result", 11)]
    other = """var oslo = Temperature("oslo"); var lima = Temperature("lima");
var winner = await Task.WhenAny(oslo, Task.Delay(1000));
if (winner == oslo) Console.WriteLine(lima.Result);
await foreach (var done in Task.WhenEach(tasks)) Console.WriteLine(Temperature("cairo").Result);
"""
    assert rules("csharp", other) == [("blocking-result", 3), ("blocking-result", 4)]  # not the task compared
    # The comparison holds only where it is tested: in the `if`'s body, after the `?`, not after them.
    outside = """var oslo = Temperature("oslo");
var winner = await Task.WhenAny(oslo, Task.Delay(1000));
if (winner == oslo)
{
    Console.WriteLine(oslo.Result);
}
Console.WriteLine(oslo.Result);
if (winner == oslo || late) Console.WriteLine(oslo.Result);
var lima = Temperature("lima");
var answer = await Task.WhenAny(lima, Task.Delay(1000)) == lima ? lima.Result : 0;
Console.WriteLine(lima.Result);
"""
    assert rules("csharp", outside) == [("blocking-result", n) for n in (7, 8, 11)]


def test_csharp_rules_read_the_syntax_tree_not_the_text(csharp_parser):
    """What a pattern over the text got wrong: a generic WhenAll, a ConfigureAwait, the other branch of the
    conditional, an await in another (local) function."""
    right = """var oslo = Temperature("oslo"); var lima = Temperature("lima");
await Task.WhenAll<int>(oslo, lima);
Console.WriteLine(oslo.Result + lima.Result);
var cairo = Temperature("cairo");
await cairo.ConfigureAwait(false);
Console.WriteLine(cairo.Result);
"""
    assert rules("csharp", right) == []
    wrong = """var lima = Temperature("lima");
var answer = await Task.WhenAny(lima, Task.Delay(1000)) == lima ? 0 : lima.Result;
var oslo = Temperature("oslo");
async Task Later() { await oslo; }
Console.WriteLine(oslo.Result);
"""
    assert rules("csharp", wrong) == [("blocking-result", 2), ("blocking-result", 5)]


def test_csharp_without_its_parser_the_rules_are_left_out_and_said_so(monkeypatch):
    monkeypatch.setattr(csharp, "PROGRAM", csharp.PARSER / "nowhere" / "analyze.dll")
    csharp._findings.cache_clear()
    examination = static_checks.examine(load_registry().get("csharp"), "Thread.Sleep(1);\n")
    csharp._findings.cache_clear()
    assert examination.findings == ()
    assert examination.unchecked == ("not checked: C#'s rules blocking-result, busy-wait, thread-sleep, async-void: "
                                     "their parser (Roslyn) is not built, or older than its source: run `./bootstrap` "
                                     f"(or `dotnet build -c Release -o bin` in {csharp.PARSER})",)


def test_csharp_wait_all_and_wait_any_block():
    source = """Task.WaitAll(tasks);
var i = Task.WaitAny(tasks.ToArray());
gate.Wait();
await Task.WhenAll(tasks);
await gate.WaitAsync();
"""
    assert rules("csharp", source) == [("blocking-result", 1), ("blocking-result", 2), ("blocking-result", 3)]
    # What WaitAll or Wait() waited for has ended: reading its Result after them blocks no more.
    assert rules("csharp", "Task.WaitAll(tasks);\nvar r = tasks[0].Result;\nt.Wait();\nvar s = t.Result;\n") == [
        ("blocking-result", 1), ("blocking-result", 3)]
    assert said("csharp", source)[0] == ("line 1: `Task.WaitAll(...)` blocks a thread until every task has ended. "
                                         "In async code, `await Task.WhenAll(...)`.")
    assert "`.Wait(...)` blocks a thread while it waits for `gate`" in said("csharp", source)[2]


def test_csharp_busy_wait_around_try():
    source = """while (!channel.Writer.TryWrite(x)) {}
while (!queue.TryTake(out var item)) { Thread.Yield(); }
do { } while (!ready);
while (!done);
for (;;) { }
while (!channel.Writer.TryWrite(x)) { await channel.Writer.WaitToWriteAsync(); }
while (reader.TryRead(out var next)) { Console.WriteLine(next); }
do { n++; } while (!ready);
while (!reader.TryRead(out var got)) { await Task.Delay(10); }
while ((line = await input.ReadLineAsync()) != null) { }
"""
    assert rules("csharp", source) == [("busy-wait", n) for n in (1, 2, 3, 4, 5)]
    assert said("csharp", source)[0].startswith("line 1: `while (!channel.Writer.TryWrite(x))` spins")


# --- every language ---------------------------------------------------------------------------------

def test_a_language_without_rules_breaks_none():
    from dataclasses import replace

    assert static_checks.find(replace(load_registry().get("python"), static_rules=()), "time.sleep(1)") == []


def test_every_analysis_a_rule_names_is_there(registry):
    named = {rule.analysis for language in registry.languages.values() for rule in language.static_rules}
    assert named - {""} <= set(static_checks.ANALYSES)
    assert registry.forbiddable == ["threads"]


@pytest.mark.parametrize("slug", [s for s, l in load_lessons(load_registry()).items() if l.exercise])
def test_the_reference_solutions_break_no_rule(slug, lessons, registry, javascript_parser):
    lesson = lessons[slug]
    for language in registry.languages.values():
        solution = lesson.solution(language)
        assert static_checks.find(language, solution.read_text(), lesson.exercise.allow,
                                  lesson.exercise.forbid) == [], solution
