"""What the publishing commands write: the site, and a handout for paper (one lesson, the booklet, the
exercise worksheet or its answer key)."""
from __future__ import annotations

import time
from pathlib import Path

from runner import KitError
from runner.model.authoring import refuse_unfinished
from runner.model.cheatsheet import load_cheatsheet
from runner.model.concept_docs import load_concept_docs
from runner.model.languages import Registry
from runner.model.lesson import Lesson, exercises, find_lesson
from runner.model.results import write_atomically
from runner.model.store import ResultsStore
from runner.publish.render import FORMATS, render_cheatsheet, render_handout, render_site, render_worksheet

# What a handout holds besides one lesson, as the command line says it (never a lesson's slug), and its
# file's name: the booklet, the exercise worksheet, its answer key, the cheat sheet.
ALL, EXERCISES, SOLUTIONS, CHEATSHEET = "--all", "--exercises", "--solutions", "--cheatsheet"
NAMES = {ALL: "booklet", EXERCISES: "worksheet", SOLUTIONS: "answer-key", CHEATSHEET: "cheatsheet"}


def write_handout(what: str, fmt: str, registry: Registry, lessons: dict[str, Lesson], results: Path,
                  folder: Path, out: Path | None = None, backend: str = "auto") -> Path:
    """Write `what` (a lesson's slug, ALL, EXERCISES or SOLUTIONS) as fmt (FORMATS) to `out`, or to
    folder/<name>.<fmt>; the file written."""
    if fmt not in FORMATS:
        raise KitError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    kind = "html" if fmt == "pdf" else fmt
    name = NAMES.get(what, what)
    if what == CHEATSHEET:
        sheet = load_cheatsheet(registry, lessons)
        chosen, document = [], "Async Rosetta cheat sheet"

        def make(starts=None):
            return render_cheatsheet(sheet, registry, lessons, ResultsStore(results).reports(backend), kind,
                                     printed=True)
    elif what in (EXERCISES, SOLUTIONS):
        solutions = what == SOLUTIONS
        chosen = list(exercises(lessons).values())
        document = f"Async Rosetta {name.replace('-', ' ')}"

        def make(starts=None):
            return render_worksheet(chosen, registry, kind, solutions,
                                    ResultsStore(results).reports(backend) if solutions else None, starts)
    else:
        booklet = what == ALL
        chosen = list(lessons.values()) if booklet else [find_lesson(lessons, what)]
        document = "Async Rosetta booklet" if booklet else "Async Rosetta"

        def make(starts=None):
            return render_handout(chosen, registry, ResultsStore(results).reports(backend), kind, booklet=booklet,
                                  starts=starts)
    refuse_unfinished(chosen, registry, f"the {name} handout" if what in NAMES else f"the handout of {what}")
    target = out or folder / f"{name}.{fmt}"
    if fmt == "pdf":
        from runner.publish.pdf import Part, html_to_pdf

        if what == CHEATSHEET:
            html_to_pdf(make(), target, document, front="Cheat sheet")
        elif what in NAMES:  # a cover and contents, then a part per lesson
            html_to_pdf(make, target, document, [Part(item.slug, item.title) for item in chosen], front="Cover and contents")
        else:
            html_to_pdf(make(), target, document, front=chosen[0].title)
    else:
        try:
            write_atomically(target, make())
        except OSError as exc:
            raise KitError(f"cannot write {target}: {exc}") from None
    return target


def write_site(lessons: dict[str, Lesson], registry: Registry, results: Path, target: Path, backend: str) -> str:
    """`invoke render`: the static site written from the stored results; what was written, and where."""
    refuse_unfinished(list(lessons.values()), registry, "the site")
    started = time.monotonic()
    written = render_site(lessons, registry, ResultsStore(results).reports(backend), target,
                          load_cheatsheet(registry, lessons, required=False), load_concept_docs(registry, lessons))
    size = sum(path.stat().st_size for path in written)
    return (f"wrote {len(written)} files ({size / 1000:.0f} kB) to {target} in {time.monotonic() - started:.1f}s; "
            f"open {target / 'index.html'} or run `invoke serve`")
