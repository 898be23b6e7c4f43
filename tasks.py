"""Async Rosetta: run the same async program in Python, JavaScript and C#, side by side."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from invoke import Collection, Exit, task

from runner import EnvironmentProblem, KitError
from runner.model.languages import load_registry
from runner.model.lessons import InvalidLessons, find_lesson, load_lessons

EXIT_FAILED, EXIT_INPUT, EXIT_ENVIRONMENT, EXIT_INTERRUPTED = 1, 2, 3, 130
ROOT = Path(__file__).resolve().parent


def _consoles():
    from rich.console import Console

    return Console(), Console(stderr=True)


@contextmanager
def _errors():
    """Turn the kit's own errors and Ctrl-C into a message and an exit status, never a traceback."""
    try:
        yield
    except InvalidLessons as exc:
        raise Exit(f"invalid lessons: {exc}", code=EXIT_INPUT)
    except KitError as exc:
        code = EXIT_ENVIRONMENT if isinstance(exc, EnvironmentProblem) else EXIT_INPUT
        raise Exit(f"error: {exc}", code=code)
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the cleanup is done: a second Ctrl-C changes nothing
        raise Exit("interrupted: everything the run had started (containers, volumes, processes) was removed; "
                   "the results of lessons that had finished are kept under results/", code=EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`invoke run-all | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise Exit(code=EXIT_FAILED)


def _repeat(value, flag: str = "--repeat", default: int = 1) -> int:
    """A count given on the command line. (The flags default to None, not a number, so that invoke leaves a
    bad value to this message instead of failing in its parser with a traceback.)"""
    if value is None:
        return default
    try:
        repeat = int(value)
    except (TypeError, ValueError):
        repeat = 0
    if repeat < 1:
        raise KitError(f"{flag} takes a whole number of at least 1, got {value!r}")
    return repeat


def _load():
    registry = load_registry()
    return registry, load_lessons(registry)


@task(name="list")
def list_(c):
    """List the lessons: title, summary and which languages have an example."""
    with _errors():
        from runner.publish.terminal import lessons_table

        registry, lessons = _load()
        out, _ = _consoles()
        out.print(lessons_table(list(lessons.values()), registry))


def _run(c, slugs, lang, backend, repeat, as_json, serial=False):
    from runner.sandbox import choice
    from runner.run import workflow
    from runner.model.results import to_json
    from runner.model.store import ResultsStore
    from runner.publish.terminal import show_all, show_lesson

    registry, lessons = _load()
    chosen = [find_lesson(lessons, s) for s in slugs] if slugs else list(lessons.values())
    languages = registry.select(lang)
    if not languages:
        raise KitError(f"--lang {lang!r} names no language: expected one or more of {', '.join(registry.names)}")
    repeat = _repeat(repeat)
    out, err = _consoles()
    engine = choice.choose(backend or c.rosetta.backend, lambda msg: err.print(f"[yellow]warning:[/] {msg}"))
    problems = engine.check(languages, err.print)
    if problems:
        raise EnvironmentProblem("\n".join(problems))
    store, unsaved = ResultsStore(Path(c.rosetta.results)), []

    def save(report):
        try:
            store.save(report)
        except EnvironmentProblem as exc:  # a full disk, say: show what ran, then say so
            unsaved.append(str(exc))

    with err.status("starting") as status:
        # The kit's own examples: in warm sandboxes, and side by side where the lesson measures only time.
        course = workflow.run_lessons(chosen, languages, engine, repeat, status.update, save, warm=True,
                                      side_by_side=not serial)
    reports = list(course.reports)
    if as_json:
        data = [r.to_dict() for r in reports]
        print(to_json(data if not slugs else data[0]))
    elif slugs:
        show_lesson(out, reports[0], registry)
    else:
        show_all(out, reports, registry)
    if course.lost:
        saved = course.finished - len(unsaved)
        raise EnvironmentProblem(f"{course.lost}\nThe results of the {saved} lesson(s) that had finished are saved "
                                 f"under {store.folder_of(engine.name)}; the other {len(reports) - course.finished} "
                                 "did not run.")
    if unsaved:
        more = f"\n(and {len(unsaved) - 1} more lesson(s) could not be saved)" if len(unsaved) > 1 else ""
        raise EnvironmentProblem(unsaved[0] + more)
    if not all(reports):
        raise Exit(code=EXIT_FAILED)


@task(
    positional=["lesson"],
    help={
        "lesson": "the lesson to run (see `invoke list`), e.g. kitchen",
        "lang": "languages to run, comma-separated (default: all), e.g. python,csharp",
        "backend": "auto (Docker when an engine answers), docker, or local (host toolchains; trusted code only)",
        "repeat": "run each language N times; timings are reported as median, min and max",
        "json": "print one JSON document instead of tables",
        "serial": "run the languages one after another (by default they run side by side, except in lessons "
                  "that measure CPU or memory)",
    },
)
def run_lesson(c, lesson=None, lang=None, backend=None, repeat=None, json=False, serial=False):
    """Run one lesson in every language and say whether the outputs are equivalent."""
    with _errors():
        if not lesson:
            raise KitError("which lesson? e.g. `invoke run-lesson kitchen`; `invoke list` shows them all")
        _run(c, [lesson], lang, backend, repeat, json, serial)


@task(help={
    "lang": "languages to run, comma-separated (default: all)",
    "backend": "auto, docker or local",
    "repeat": "run each language N times",
    "json": "print a JSON list, one document per lesson",
    "serial": "run the languages one after another (default: side by side where the lesson allows)",
})
def run_all(c, lang=None, backend=None, repeat=None, json=False, serial=False):
    """Run every lesson in every language; one table row per lesson and language."""
    with _errors():
        _run(c, [], lang, backend, repeat, json, serial)


@task(positional=["slug"], help={"slug": "the new lesson's name: lower-case words joined by '-'"})
def new_lesson(c, slug):
    """Create a lesson folder and a runnable stub example in every language."""
    with _errors():
        from runner.setup.scaffold import new_lesson as scaffold

        written = scaffold(slug, load_registry())
        for path in written:
            print(f"created {path.relative_to(ROOT)}")
        print(f"next: `invoke run-lesson {slug}` runs the stubs (they compare equal); then write the lesson")


@task(help={"out": "the folder to write the site to (default: site/)",
            "backend": "whose results to show: auto (Docker's where there are some, else local), docker or local"})
def render(c, out=None, backend="auto"):
    """Write the static site from the stored results (it runs nothing)."""
    with _errors():
        import time

        from runner.model.store import ResultsStore
        from runner.publish.render import render_site

        registry, lessons = _load()
        target = Path(out or c.rosetta.site)
        started = time.monotonic()
        written = render_site(lessons, registry, ResultsStore(Path(c.rosetta.results)).reports(backend), target)
        size = sum(path.stat().st_size for path in written)
        print(f"wrote {len(written)} files ({size / 1000:.0f} kB) to {target} in {time.monotonic() - started:.1f}s; "
              f"open {target / 'index.html'} or run `invoke serve`")


@task(help={"port": "the port on 127.0.0.1 (default 8000; 0 picks a free one)", "dir": "the folder to serve (default: site/)"})
def serve(c, port=8000, dir=None):
    """Preview the rendered site on http://127.0.0.1:PORT (Ctrl-C stops it)."""
    with _errors():
        from runner.publish.serve import serve_site

        serve_site(Path(dir or c.rosetta.site), int(port))


@task(positional=["lesson"], help={
    "lesson": "the lesson to print (see `invoke list`); --all for the workshop booklet (cover, contents, a section "
              "per lesson); --exercises for the exercise worksheet; --solutions for its answer key (the reference "
              "solutions and what they print)",
    "format": "pdf (through headless Chromium), html or md",
    "out": "the file to write (default: handouts/<lesson>.<format>, handouts/booklet.<format>, "
           "handouts/worksheet.<format> or handouts/answer-key.<format>)",
    "backend": "whose results to show: auto, docker or local",
})
def handout(c, lesson, format="pdf", out=None, backend="auto"):
    """Write one lesson's handout, the booklet (--all), the worksheet (--exercises) or its answer key
    (--solutions): PDF, HTML or Markdown."""
    with _errors():
        from runner.model.store import ResultsStore
        from runner.publish.render import FORMATS, render_handout, render_worksheet

        if format not in FORMATS:
            raise KitError(f"unknown format {format!r}: expected one of {', '.join(FORMATS)}")
        registry, lessons = _load()
        store = ResultsStore(Path(c.rosetta.results))
        kind = "html" if format == "pdf" else format
        if lesson in (EXERCISES, SOLUTIONS):
            solutions = lesson == SOLUTIONS
            name, chosen = ("answer-key" if solutions else "worksheet"), list(_exercise_lessons(lessons).values())
            document = f"Async Rosetta {name.replace('-', ' ')}"

            def make(starts=None):
                return render_worksheet(chosen, registry, kind, solutions, store.reports(backend) if solutions else None,
                                        starts)
        else:
            booklet = lesson == ALL
            name = "booklet" if booklet else lesson
            chosen = list(lessons.values()) if booklet else [find_lesson(lessons, lesson)]
            document = "Async Rosetta booklet" if booklet else "Async Rosetta"

            def make(starts=None):
                return render_handout(chosen, registry, store.reports(backend), kind, booklet=booklet, starts=starts)
        target = Path(out) if out else Path(c.rosetta.handouts) / f"{name}.{format}"
        if format == "pdf":
            from runner.publish.pdf import Part, html_to_pdf

            if lesson in (ALL, EXERCISES, SOLUTIONS):  # a cover and contents, then a part per lesson
                html_to_pdf(make, target, document, [Part(item.slug, item.title) for item in chosen], front="Cover and contents")
            else:
                html_to_pdf(make(), target, document, front=chosen[0].title)
        else:
            from runner.model.results import write_atomically

            try:
                write_atomically(target, make())
            except OSError as exc:
                raise KitError(f"cannot write {target}: {exc}") from None
        print(f"wrote {target}")


def _exercise_language(registry, lang, file=None):
    """The language named by --lang, or by the extension of --file."""
    if lang:
        return registry.get(lang)
    if file:
        by_extension = {language.extension: language for language in registry.languages.values()}
        suffix = Path(file).suffix
        if suffix in by_extension:
            return by_extension[suffix]
    raise KitError(f"which language? add --lang, one of {', '.join(registry.names)}")


def _exercise_lessons(lessons):
    return {slug: lesson for slug, lesson in lessons.items() if lesson.exercise}


def _exercise_lesson(lessons, slug: str):
    """The lesson of that name, which must have an exercise."""
    with_exercise = _exercise_lessons(lessons)
    if slug in lessons and slug not in with_exercise:
        raise KitError(f"the lesson {slug!r} has no exercise; these have one: {', '.join(with_exercise)}")
    return find_lesson(with_exercise, slug)


# invoke requires positional arguments; a word such as --solutions in the lesson's place is not a
# declared flag, so it arrives as the "lesson" and names what to do instead.
SOLUTIONS, LIST_EXERCISES, ALL, EXERCISES = "--solutions", "--list", "--all", "--exercises"


@task(positional=["lesson"], help={
    "lesson": "the lesson whose exercise to start (`invoke exercise --list` lists them; `invoke exercise "
              "--solutions` writes every reference solution under workspace/solutions/, for instructors)",
    "lang": "python, javascript or csharp",
    "force": "overwrite your file in workspace/ with the starter again",
})
def exercise(c, lesson, lang=None, force=False):
    """Start an exercise: copy its starter into workspace/ and say what to do."""
    with _errors():
        from runner.setup.workspace import start_exercise, write_solutions

        registry, lessons = _load()
        with_exercise = _exercise_lessons(lessons)
        if lesson == LIST_EXERCISES:
            for slug, item in with_exercise.items():
                print(f"{slug:20} {item.title}")
            return
        if lesson == SOLUTIONS:
            written = write_solutions(list(with_exercise.values()), registry)
            print(f"wrote {len(written)} reference solutions under {Path('workspace') / 'solutions'}")
            return
        chosen = _exercise_lesson(lessons, lesson)
        language = _exercise_language(registry, lang)
        target = start_exercise(chosen, language, force)
        print((chosen.folder / "exercise.md").read_text(encoding="utf-8").strip())
        print(f"\nEdit {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}, then check it with "
              f"`invoke check {chosen.slug} --lang {language.name}` (a hint: `invoke hint {chosen.slug} --lang {language.name}`).")


@task(positional=["lesson"], help={
    "lesson": "the lesson whose exercise to check",
    "lang": "python, javascript or csharp (guessed from --file's extension if left out)",
    "file": "check this file instead of the one in workspace/",
    "backend": "auto (Docker when an engine answers), docker or local (trusted code only)",
    "json": "print the verdict as JSON",
})
def check(c, lesson, lang=None, file=None, backend=None, json=False):
    """Run your exercise in the sandbox and say whether it is right, and if not, what is wrong."""
    with _errors():
        from runner.sandbox import choice
        from runner.run.checker import check as check_file
        from runner.setup.workspace import learner_file

        registry, lessons = _load()
        chosen = _exercise_lesson(lessons, lesson)
        language = _exercise_language(registry, lang, file)
        path = Path(file) if file else learner_file(chosen, language)
        if not file and not path.is_file():
            raise KitError(f"no {path.relative_to(ROOT)} yet: `invoke exercise {chosen.slug} --lang {language.name}` "
                           "writes it, or check any file with --file PATH")
        out, err = _consoles()
        engine = choice.choose(backend or c.rosetta.backend, lambda msg: err.print(f"[yellow]warning:[/] {msg}"))
        problems = engine.check([language], err.print)
        if problems:
            raise EnvironmentProblem("\n".join(problems))
        with err.status("checking") as status:
            verdict = check_file(chosen, language, path, engine, status.update)
        if json:
            from runner.model.results import to_json

            print(to_json(verdict.to_dict()))
        else:
            from runner.publish.terminal import show_exercise_verdict

            show_exercise_verdict(out, verdict)
        if not verdict:
            raise Exit(code=EXIT_FAILED)


@task(positional=["lesson"], help={"lesson": "the lesson whose exercise you are doing", "lang": "python, javascript or csharp"})
def hint(c, lesson, lang=None):
    """Show the next hint for an exercise (one at a time; the count is kept in workspace/)."""
    with _errors():
        from runner.setup.workspace import next_hint

        registry, lessons = _load()
        chosen = _exercise_lesson(lessons, lesson)
        language = _exercise_language(registry, lang)
        number, total, text = next_hint(chosen, language)
        if text is None:
            print(f"that was the last hint ({total} of {total}); the lesson's example "
                  f"({chosen.example(language).relative_to(ROOT)}) is one right answer")
        else:
            print(f"hint {number} of {total}: {text}")


@task(help={
    "offline": "build equivalent images from Debian packages, npm and the host's .NET SDK (no registry)",
    "save": "write the images that are here to FILE (a tar archive) for a room without internet",
    "load": "load images from FILE written by --save",
    "force": "with --offline: rebuild even when the images are current",
})
def images(c, offline=False, save=None, load=None, force=False):
    """Pull the official images (or build them offline, save them, load them)."""
    with _errors():
        from runner.setup import images as image_ops

        registry = load_registry()
        _, err = _consoles()
        with err.status("images") as status:
            languages = list(registry.languages.values())
            messages = []
            if load:
                messages.append(image_ops.load(Path(load), status.update))
            if offline:
                messages.append(image_ops.build_offline(languages, status.update, force))
            if not (load or offline or save):
                messages.append(image_ops.pull(languages, status.update))
            if save:  # what is here already: --save alone neither pulls nor builds
                messages.append(image_ops.save(languages, Path(save), status.update))
        err.print("\n".join(messages))


@task
def doctor(c):
    """Say what is present and what is missing, and the command that fixes each missing thing."""
    with _errors():
        from runner.setup.doctor import check_all

        out, _ = _consoles()
        findings = check_all(load_registry())
        from rich.table import Table

        table = Table(title="Async Rosetta doctor")
        for name in ("what", "state", "details / fix"):
            table.add_column(name)
        for item in findings:
            table.add_row(item.what, "[green]ok[/]" if item.ok else "[red]missing[/]", item.detail)
        out.print(table)
        if not all(item.ok or item.optional for item in findings):
            raise Exit(code=EXIT_ENVIRONMENT)


@task(help={"repeat": "runs per measured figure (median, min and max are reported)",
            "json": "print one JSON document instead of tables"})
def bench(c, repeat=None, json=False):
    """Measure what the kit adds to the examples' own time, and which speed targets this machine meets.

    Native, local, Docker fresh and warm runs, C# builds cold and cached, and run-all against its floor."""
    with _errors():
        from runner.sandbox import choice
        from runner.run import bench as benchmark
        from runner.sandbox.docker.backend import DockerBackend
        from runner.sandbox.local import LocalBackend
        from runner.model.results import to_json
        from runner.publish.terminal import bench_tables

        registry, lessons = _load()
        repeat = _repeat(repeat, default=5)
        languages = list(registry.languages.values())
        local, docker = LocalBackend(), choice.choose("docker", lambda _: None)
        problems = local.check(languages, print) + docker.check(languages, print)
        if problems:
            raise EnvironmentProblem("the benchmark needs both backends:\n" + "\n".join(problems))
        out, err = _consoles()
        with err.status("measuring") as status:
            result = benchmark.measure(registry, lessons, local, DockerBackend, repeat, status.update)
        if json:
            print(to_json(result.to_dict()))
        else:
            for table in bench_tables(result, registry):
                out.print(table)
        if not all(t.passed for t in result.targets):
            raise Exit(code=EXIT_FAILED)


@task(help={"rounds": "classrooms of thirty checks at once, one after another (default 5)",
            "run_all": "runs of `invoke run-all` (default 3)"})
def stress(c, rounds=None, run_all=None):
    """Verdicts under load: thirty checks at once, run-all and hostile programs beside a CPU hog.

    Runs tests/test_stress.py (Docker); the figures go to results/stress.json. Minutes long."""
    with _errors():
        rounds, run_all = _repeat(rounds, "--rounds", 5), _repeat(run_all, "--run-all", 3)
    env = {**os.environ, "ASYNC_ROSETTA_STRESS": "1", "ASYNC_ROSETTA_STRESS_ROUNDS": str(rounds),
           "ASYNC_ROSETTA_STRESS_RUN_ALLS": str(run_all)}
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-s", "-m", "stress", "tests/test_stress.py"],
                           cwd=ROOT, env=env)
    raise Exit(code=code)


@task(help={"cache": "also empty the build cache (built C# programs kept between runs)"})
def clean(c, cache=False):
    """Remove containers and volumes the kit left behind (after a crash, say); --cache: the built programs too."""
    with _errors():
        from runner.sandbox import build_cache
        from runner.sandbox.docker import connection, reaper

        if cache:
            print(f"removed {build_cache.clear()} build(s) from the build cache ({build_cache.folder()})")
        try:
            client = connection.connect()
        except connection.EngineUnavailable:
            if cache:
                print("no Docker engine answers: no container or volume to look for")
                return
            raise
        removed = reaper.remove_leftovers(client, spare=reaper.owner_still_running)
        print(f"removed {len(removed['containers'])} container(s) and {len(removed['volumes'])} volume(s)")


@task(help={"k": "only tests matching this expression (pytest -k)", "x": "stop at the first failure",
            "quick": "only the tests that need no Docker engine, toolchain or browser: the inner loop, under a minute",
            "workers": "pytest-xdist workers for the tests that may share the machine (default 2; 0: one process); "
                       "the tests marked `serial` always run alone, after the others"})
def test(c, k=None, x=False, quick=False, workers=2):
    """Run the test suite (Docker tests included: they fail, not skip, under CI); --quick: the inner loop."""
    import importlib.util
    import shutil
    import tempfile

    base = [sys.executable, "-m", "pytest", "-q", "--durations=15"] + (["-k", k] if k else []) + (["-x"] if x else [])
    if quick:
        raise Exit(code=subprocess.call(base + ["-m", "not docker and not local and not browser and not stress"],
                                        cwd=ROOT))
    if workers and importlib.util.find_spec("xdist") is None:
        print("pytest-xdist is missing (apt-get install python3-pytest-xdist): the tests run in one process")
        workers = 0
    parallel = ["-n", str(workers), "--dist", "loadgroup"] if workers else []
    # One build cache for both phases and every worker (tests/conftest.py: session_build_cache).
    cache = tempfile.mkdtemp(prefix="async-rosetta-test-builds-")
    env = {**os.environ, "ASYNC_ROSETTA_TEST_BUILD_CACHE": cache}
    try:
        codes = []
        for phase in (parallel + ["-m", "not serial and not stress"], ["-m", "serial and not stress"]):
            codes.append(subprocess.call(base + phase, cwd=ROOT, env=env))
            if x and codes[-1] not in (0, 5):
                break
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    # 5 is pytest's "no test selected": fine for one phase (-k may pick from one only), not for both.
    failed = [code for code in codes if code not in (0, 5)]
    raise Exit(code=failed[0] if failed else (5 if set(codes) == {5} else 0))


ns = Collection(list_, run_lesson, run_all, new_lesson, exercise, check, hint, render, serve, handout, images, bench,
                doctor, clean, test, stress)
ns.configure({"rosetta": {"backend": "auto", "results": str(ROOT / "results"), "site": str(ROOT / "site"),
                          "handouts": str(ROOT / "handouts")}})
