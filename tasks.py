"""Async Rosetta: run the same async program in Python, JavaScript and C#, side by side.

The tasks declare their flags and hand on to runner/ (runner/run/commands.py, the printing to
runner/publish/terminal.py); an expected failure ends as a message and an exit status, never a traceback."""
from __future__ import annotations

from pathlib import Path

from invoke import Collection, Exit

from runner import KitError
from runner.model.languages import load_registry, spoken_names
from runner.model.lessons import load_course
from runner.run.cli import errors as _errors, task  # task: invoke's, with the kit's short flags

EXIT_FAILED, EXIT_ENVIRONMENT = 1, 3  # the others (README: Using it) are runner/run/commands.py's exit_for
ROOT = Path(__file__).resolve().parent
LANGUAGES = spoken_names()  # for the flags' help: "python, javascript or csharp"
QUEUE = "redis://[:PASSWORD@]HOST:PORT/DB"  # a classroom's queue on Redis


def _course(lesson: str | None = None):
    """The registry, the course and the lessons that load; a broken lesson the command names is its error."""
    from runner.run.commands import load

    return load(_screens()[2].warn, lesson)


def _load(lesson: str | None = None):
    registry, _, lessons = _course(lesson)
    return registry, lessons


def _screens():
    """stdout, stderr, and how a command talks on stderr while it works."""
    from runner.publish.terminal import consoles
    from runner.run.commands import Feedback

    out, err = consoles()
    return out, err, Feedback(err.print, lambda msg: err.print(f"[yellow]warning:[/] {msg}"), err.status)


@task(name="list")
def list_(c):
    """List the lessons: title, summary and which languages have an example."""
    with _errors():
        from runner.model.authoring import lesson_warnings
        from runner.publish.terminal import lessons_table

        course = load_course(registry := load_registry())
        out, _, feedback = _screens()
        out.print(lessons_table(list(course.lessons.values()), registry, course.broken))
        for warning in (w for lesson in course.lessons.values() for w in lesson_warnings(lesson, registry)):
            feedback.warn(warning)
        course.raise_problems("{left_out} cannot be used until they are fixed")


def _run(c, slugs, lang, backend, repeat, as_json, serial=False):
    from runner.publish.terminal import show_course
    from runner.run.commands import run_course

    registry, course, lessons = _course(*slugs)
    out, _, feedback = _screens()
    ran = run_course(registry, lessons, slugs, lang, backend or c.rosetta.backend, repeat, serial,
                     Path(c.rosetta.results), feedback)
    show_course(out, ran.reports, registry, as_json, one=bool(slugs))
    ran.raise_problems()
    if not slugs:
        course.raise_problems("{left_out} left out; the others ran")
    if not ran:
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

        for path in scaffold(slug, load_registry()):
            print(f"created {path.relative_to(ROOT)}")
        print(f"next: `invoke run-lesson {slug}` runs the stubs (they compare equal); then write the lesson: "
              "`invoke list` names the placeholders left, and render and handout refuse a lesson that has some")


@task(help={"out": "the folder to write the site to (default: site/)",
            "backend": "whose results to show: auto (Docker's where there are some, else local), docker or local"})
def render(c, out=None, backend="auto"):
    """Write the static site from the stored results (it runs nothing)."""
    with _errors():
        from runner.publish.files import write_site

        registry, course, lessons = _course()
        print(write_site(lessons, registry, Path(c.rosetta.results), Path(out or c.rosetta.site), backend))
        course.raise_problems("{left_out} left out of the site; the others' pages were written")


@task(help={"port": "the port on 127.0.0.1 (default 8000; 0 picks a free one)", "dir": "the folder to serve (default: site/)"})
def serve(c, port=8000, dir=None):
    """Preview the rendered site on http://127.0.0.1:PORT (Ctrl-C stops it)."""
    with _errors():
        from runner.publish.serve import serve_site

        serve_site(Path(dir or c.rosetta.site), int(port))


@task(help={"port": "the port (default 8000; 0 picks a free one)", "room": "the room code (default: the database's, "
            "else a random one)", "host": "the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: "
            "the room's network)", "db": "the SQLite file of the room's records (default: results/classroom.sqlite)",
            "queue": f"put the checks on the Redis queue {QUEUE}, which `invoke worker` processes on any machines "
                     "serve (default: run them here, in this machine's Docker)"})
def classroom(c, port=None, room=None, host="127.0.0.1", db=None, queue=None):
    """Serve a classroom: learners check exercises in a browser, the instructor watches (Ctrl-C stops it)."""
    with _errors():
        from runner.classroom.server import serve

        registry, lessons = _load()
        feedback = _screens()[2]
        serve(registry, lessons, port, room, host, Path(db or Path(c.rosetta.results) / "classroom.sqlite"),
              queue or c.rosetta.queue, feedback.say, feedback.warn)


@task(help={"queue": f"the classroom's --queue: {QUEUE}", "backend": "docker (learners' programs run only there)"})
def worker(c, queue=None, backend="docker"):
    """Run the checks of a classroom's queue on Redis with this machine's Docker engine (Ctrl-C stops it)."""
    with _errors():
        from runner.classroom.worker import work

        feedback = _screens()[2]
        work(*_load(), queue or c.rosetta.queue, backend, feedback.say, feedback.warn)


@task(positional=["lesson"], help={
    "lesson": "the lesson to print (see `invoke list`); --all for the workshop booklet (cover, contents, a section "
              "per lesson); --exercises for the exercise worksheet; --solutions for its answer key (the reference "
              "solutions and what they print); --cheatsheet for the cheat sheet (two pages)",
    "format": "pdf (through headless Chromium), html or md",
    "out": "the file to write (default: handouts/<lesson>.<format>, handouts/booklet.<format>, "
           "handouts/worksheet.<format>, handouts/answer-key.<format> or handouts/cheatsheet.<format>)",
    "backend": "whose results to show: auto, docker or local",
})
def handout(c, lesson, format="pdf", out=None, backend="auto"):
    """Write one lesson's handout, the booklet (--all), the worksheet (--exercises), its answer key
    (--solutions) or the cheat sheet (--cheatsheet): PDF, HTML or Markdown."""
    with _errors():
        from runner.publish.files import write_handout

        registry, course, lessons = _course(lesson)
        target = write_handout(lesson, format, registry, lessons, Path(c.rosetta.results), Path(c.rosetta.handouts),
                               Path(out) if out else None, backend)
        print(f"wrote {target}")
        if lesson.startswith("--"):  # the booklet, worksheet or answer key: the whole course's
            course.raise_problems("{left_out} left out of it")


@task(positional=["lesson"], help={
    "lesson": "the lesson whose exercise to start (`invoke exercise --list` lists them; `invoke exercise "
              "--solutions` writes every reference solution under workspace/solutions/, for instructors)",
    "lang": LANGUAGES,
    "force": "overwrite your file in workspace/ with the starter again",
})
def exercise(c, lesson, lang=None, force=False):
    """Start an exercise: copy its starter into workspace/ and say what to do."""
    with _errors():
        from runner.publish.terminal import show_told
        from runner.setup.workspace import exercise as start

        show_told(_screens()[0], *start(*_load(lesson), lesson, lang, force))


@task(positional=["lesson"], help={
    "lesson": "the lesson whose exercise to check",
    "lang": f"{LANGUAGES} (left out: the language of your one file in workspace/<lesson>/, or of --file's extension)",
    "file": "check this file instead of the one in workspace/ (its PASS does not count in your progress)",
    "backend": "auto (Docker when an engine answers), docker or local (trusted code only)",
    "json": "print the verdict as JSON", "scenario": "run only this one of the exercise's scenarios",
    "watch": "check again each time you save the file, until Ctrl-C (exit status: the last check's; with --json, "
             "one document per check)",
})
def check(c, lesson, lang=None, file=None, backend=None, json=False, watch=False, scenario=None):
    """Run your exercise in the sandbox and say whether it is right, and if not, what is wrong."""
    with _errors():
        from runner.publish.terminal import show_check
        from runner.run.commands import check_exercise
        from runner.setup.progress import Learner

        registry, lessons = _load(lesson)
        out, _, feedback = _screens()
        verdict = check_exercise(registry, lessons, lesson, lang, file, backend or c.rosetta.backend, Learner(),
                                 feedback, lambda found: show_check(out, found, json), watch, scenario)
        if not verdict:
            raise Exit(code=EXIT_FAILED)


@task(positional=["lesson"], help={"lesson": "the lesson whose exercise you are doing",
                                   "lang": f"{LANGUAGES} (left out: that of your one file in workspace/<lesson>/)",
                                   "again": "show the last hint shown again, without moving on"})
def hint(c, lesson, lang=None, again=False):
    """Show the next hint for an exercise (one at a time; the count is kept in workspace/)."""
    with _errors():
        from runner.setup.workspace import hint as next_hint

        print(next_hint(*_load(lesson), lesson, lang, again))


@task(name="next", help={"lang": f"{LANGUAGES} (default: each language you have exercise files in)"})
def next_(c, lang=None):
    """Say how many exercises you have passed, and the next one to do with the command that starts it."""
    with _errors():
        from runner.setup.progress import next_exercise

        print(next_exercise(*_load(), lang))


@task(help={
    "offline": "build equivalent images from Debian packages, npm and the host's .NET SDK (no registry)",
    "save": "write the images that are here to FILE (a tar archive) for a room without internet",
    "load": "load images from FILE written by --save",
    "force": "with --offline: rebuild even when the images are current",
})
def images(c, offline=False, save=None, load=None, force=False):
    """Pull the official images (or build them offline, save them, load them)."""
    with _errors():
        from runner.setup.images import provide

        _, err, _ = _screens()
        with err.status("images") as status:
            messages = provide(list(load_registry().languages.values()), status.update, offline, save, load, force)
        err.print("\n".join(messages))


@task
def doctor(c):
    """Say what is present and what is missing, and the command that fixes each missing thing."""
    with _errors():
        from runner.publish.terminal import doctor_table
        from runner.setup.doctor import check_all

        findings = check_all(load_registry())
        _screens()[0].print(doctor_table(findings))
        if not all(item.ok or item.optional for item in findings):
            raise Exit(code=EXIT_ENVIRONMENT)


@task(help={"repeat": "runs per measured figure (median, min and max are reported)",
            "json": "print one JSON document instead of tables"})
def bench(c, repeat=None, json=False):
    """Measure what the kit adds to the examples' own time, and which speed targets this machine meets.

    Native, local, Docker fresh and warm runs, C# builds, run-all against its floor, and the classroom."""
    with _errors():
        from runner.classroom import bench as benchmark
        from runner.publish.bench_tables import show_bench

        registry, lessons = _load()
        out, err, _ = _screens()
        result = benchmark.run(registry, lessons, repeat, err.status)
        show_bench(out, result, registry, json)
        if not all(t.passed for t in result.targets):
            raise Exit(code=EXIT_FAILED)


@task(help={"rounds": "classrooms of thirty checks at once, one after another (default 5)",
            "run_all": "runs of `invoke run-all` (default 3)"})
def stress(c, rounds=None, run_all=None):
    """Verdicts under load: thirty checks at once, run-all, hostile programs, a classroom server killed and restarted.

    Runs tests/test_stress.py (Docker); the figures go to results/stress.json. Minutes long."""
    from runner.run.commands import count
    from runner.run.suite import run_stress

    with _errors():
        rounds, run_all = count(rounds, "--rounds", 5), count(run_all, "--run-all", 3)
    raise Exit(code=run_stress(rounds, run_all))


@task(help={"cache": "also empty the build cache (built C# programs kept between runs)"})
def clean(c, cache=False):
    """Remove containers and volumes the kit left behind (after a crash, say); --cache: the built programs too."""
    with _errors():
        from runner.setup.cleanup import clean as remove_leftovers

        remove_leftovers(cache, print)


@task(help={"k": "only tests matching this expression (pytest -k)", "x": "stop at the first failure",
            "quick": "only the tests that need no Docker engine, toolchain or browser: the inner loop, under a minute",
            "workers": "pytest-xdist workers for the tests that may share the machine (default: the cores + 2, "
                       "one more than the timed-run slots; 0: one process); "
                       "the tests marked `serial` always run alone, after the others",
            "lesson": "only the tests that judge this lesson: its examples (local backend and Docker) and its "
                      "exercise's files"})
def test(c, k=None, x=False, quick=False, workers=None, lesson=None):
    """Run the test suite (Docker tests included: they fail, not skip, under CI); --quick: the inner loop."""
    from runner.run.suite import run_tests

    with _errors():
        code = run_tests(k, x, quick, workers, lesson)
    raise Exit(code=code)


ns = Collection(list_, run_lesson, run_all, new_lesson, exercise, check, hint, next_, render, serve, handout, images,
                bench, doctor, clean, test, stress, classroom, worker)
ns.configure({"rosetta": {"backend": "auto", "results": str(ROOT / "results"), "site": str(ROOT / "site"),
                          "handouts": str(ROOT / "handouts"), "queue": None}})
