"""Pages and handouts from stored results, through Jinja templates: build every page, then write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from runner import KitError
from runner.model.alignment import InvalidAlignment
from runner.model.cheatsheet import CheatSheet
from runner.model.concept_docs import ConceptDocs
from runner.model.languages import Registry, bare_version
from runner.model.lessons import Lesson
from runner.publish import figures
from runner.publish.listing import block, listing, listing_css, rows
from runner.publish.markup import markdown_html, slug
from runner.publish.pages import LessonPage, exercise_task, kit_commit, lesson_page
from runner.publish.sheet import sheet_rows, verdict_counts
from runner.model.results import LessonReport, now, write_atomically
from runner.model.timeline import Lane

TEMPLATES = Path(__file__).with_name("templates")
SCREEN_STYLE, PRINT_STYLE = "default", "bw"  # Pygments styles: colour on screen, grey-scale on paper
DARK_STYLE = "github-dark"  # and on a screen in dark mode
SCRIPTS = ("align.js", "copy.js")  # the pages' plain scripts, copied as they are: aligned reading, copy buttons
FORMATS = ("pdf", "html", "md")
KEEP_WITH_PREDICTION = 6  # source lines printed on the same page as the worksheet's prediction lines


def text_timeline(lanes: tuple[Lane, ...], end: float, step: float) -> list[str]:
    """Lanes as lines of text: = ran, - cancelled, ! failed, . still running; x and T mark an end and a timeout."""
    cells = int(round(end / step)) + 1
    fill = {"finished": "=", "cancelled": "-", "failed": "!", "running": "."}
    lines = []
    width = max(len(lane.task) for lane in lanes)
    for lane in lanes:
        row = [" "] * cells
        for bar in lane.bars:
            for i in range(int(round(bar.start / step)), max(int(round(bar.end / step)), int(round(bar.start / step)) + 1)):
                row[min(i, cells - 1)] = fill[bar.ending]
        for mark in lane.marks:
            row[min(int(round(mark.time / step)), cells - 1)] = "T" if mark.kind == "timeout" else "x"
        lines.append(f"{lane.task.ljust(width)} |{''.join(row).rstrip()}")
    lines += [f"{lane.task} starts with the result of {lane.links[0].after}" for lane in lanes if lane.links]
    return lines


def _environment(html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html, undefined=StrictUndefined,
                      trim_blocks=not html, lstrip_blocks=not html, keep_trailing_newline=True)
    env.globals.update(text_timeline=text_timeline)
    env.filters.update(slug=slug, seconds=figures.seconds, spread=figures.spread, timing=figures.timing,
                       megabytes=figures.megabytes, bare_version=bare_version)
    return env


def _render(template: str, **context) -> str:
    try:
        return _environment(not template.endswith(".md.j2")).get_template(template).render(**context)
    except TemplateError as exc:  # a defect of the kit's own templates: say which
        raise KitError(f"runner/publish/templates/{template}: {exc.__class__.__name__}: {exc}") from None


def pages(lessons: dict[str, Lesson], registry: Registry, reports: dict[str, LessonReport],
          course: list[Lesson] | None = None) -> list[LessonPage]:
    """A page for each of `lessons` with its report (`reports`: by slug, runner/model/store.py), and the
    lessons before and after it in `course` (default: `lessons`)."""
    order = course if course is not None else list(lessons.values())
    slugs = [lesson.slug for lesson in order]
    built, problems = [], []
    for slug, lesson in lessons.items():
        at = slugs.index(slug) if slug in slugs else -1
        previous = order[at - 1] if at > 0 else None
        after = order[at + 1] if 0 <= at < len(order) - 1 else None
        try:
            built.append(lesson_page(lesson, registry, reports.get(slug), previous, after))
        except InvalidAlignment as exc:  # every lesson's, then once
            problems += exc.problems
    if problems:
        raise InvalidAlignment(problems)
    return built


@dataclass(frozen=True)
class Conditions:
    """Where and when the results on the index were measured."""

    commit: str
    backends: list[str]
    hosts: list[dict]
    dates: list[str]
    versions: dict[str, list[str]]

    @classmethod
    def of(cls, built: list[LessonPage], registry: Registry) -> "Conditions":
        reports = [p.report for p in built if p.report is not None]
        dates = sorted(r.date for r in reports if r.date)
        hosts = list({(h.get("cpus"), h.get("memory_bytes"), h.get("system"), h.get("machine")): h
                      for h in (r.host for r in reports)}.values())
        versions = {name: sorted({run.runtime_version for r in reports for run in r.runs_of(name)
                                  if run.runtime_version}) for name in registry.languages}
        return cls(kit_commit([p.lesson for p in built], registry), sorted({r.backend for r in reports}), hosts,
                   [dates[0], dates[-1]] if dates and dates[0] != dates[-1] else dates[:1], versions)


def concept_index(built: list[LessonPage]) -> list[tuple[str, list[LessonPage]]]:
    """Every concept of lesson.yaml, in alphabetical order, with the lessons that teach it (in course order)."""
    found: dict[str, list[LessonPage]] = {}
    for page in built:
        for concept in page.lesson.concepts:
            found.setdefault(concept, []).append(page)
    return sorted(found.items(), key=lambda item: item[0].casefold())


def render_site(lessons: dict[str, Lesson], registry: Registry, reports: dict[str, LessonReport],
                out: Path, sheet: CheatSheet | None = None, docs: ConceptDocs | None = None) -> list[Path]:
    """The whole site, rendered in memory first, then written file by file (each whole or not at all);
    with `sheet`, the cheat sheet too (its lessons must be among `lessons`); with `docs`, the concept index
    links each concept to its official documentation."""
    built = pages(lessons, registry, reports)
    languages = list(registry.languages.values())
    concepts = concept_index(built)
    docs = docs or ConceptDocs({})
    files = {"index.html": _render("index.html.j2", pages=built, languages=languages, cheatsheet=sheet is not None,
                                   conditions=Conditions.of(built, registry), concepts=concepts),
             "concepts.html": _render("concepts.html.j2", concepts=concepts, docs=docs, lessons=len(built),
                                      titles={language.name: language.title for language in languages},
                                      documented=sum(1 for concept, _ in concepts if docs.of(concept)))}
    if sheet is not None:
        files["cheatsheet.html"] = render_cheatsheet(sheet, registry, lessons, reports, "html")
    for page in built:
        files[f"{page.lesson.slug}.html"] = _render("lesson.html.j2", page=page)
    files["style.css"] = site_css()
    files.update({name: (TEMPLATES / name).read_text() for name in SCRIPTS})
    written = []
    try:
        for name, text in files.items():
            write_atomically(out / name, text)
            written.append(out / name)
    except OSError as exc:
        raise KitError(f"cannot write the site to {out}: {exc}") from None
    return written


def render_handout(chosen: list[Lesson], registry: Registry, reports: dict[str, LessonReport], fmt: str,
                   booklet: bool, starts: dict[str, int] | None = None) -> str:
    """One lesson's handout, or the booklet of several, as HTML (print CSS inlined) or Markdown.

    `starts`: the page each lesson starts on, for the booklet's contents (runner/publish/pdf.py finds them)."""
    if fmt == "md":
        step = 0.1
        return "\n\n".join(_render("handout.md.j2", page=page, step=step).strip() + "\n"
                           for page in pages({l.slug: l for l in chosen}, registry, reports))
    built = pages({l.slug: l for l in chosen}, registry, reports)
    return _render("handout.html.j2", pages=built, booklet=booklet, title=handout_title(chosen, booklet),
                   inline_css=print_css(), starts=starts or {}, languages=list(registry.languages.values()),
                   commit=kit_commit(chosen, registry), date=now()[:10])


def render_cheatsheet(sheet: CheatSheet, registry: Registry, lessons: dict[str, Lesson],
                      reports: dict[str, LessonReport], fmt: str, printed: bool = False) -> str:
    """The cheat sheet as a page of the site, as HTML for paper (`printed`: print CSS inlined), or Markdown."""
    slugs = dict.fromkeys(row.concept.lesson for row in sheet.rows)
    built = pages({slug: lessons[slug] for slug in slugs}, registry, reports)
    rows = sheet_rows(sheet, registry, {page.lesson.slug: page for page in built})
    context = dict(rows=rows, counts=verdict_counts(rows), conditions=Conditions.of(built, registry),
                   languages=[registry.get(n) for n in sheet.languages],
                   left_out=[registry.get(n) for n in sheet.left_out], broken=sheet.broken)
    if fmt == "md":
        return _render("cheatsheet.md.j2", **context)
    return _render("cheatsheet.html.j2", printed=printed, **context, **({"inline_css": print_css()} if printed else {}))


def handout_title(chosen: list[Lesson], booklet: bool) -> str:
    return "Async Rosetta - workshop booklet" if booklet else f"{chosen[0].title} - Async Rosetta"


def site_css() -> str:
    """The pages' style: site.css, then the code's colours, light, and dark where the reader's system asks for
    it (handouts keep print.css: paper is light)."""
    dark = listing_css(DARK_STYLE).replace("\n", "\n  ")
    return (f"{(TEMPLATES / 'site.css').read_text()}\n{listing_css(SCREEN_STYLE)}\n"
            f"@media (prefers-color-scheme: dark) {{\n  {dark}\n}}\n")


def print_css() -> str:
    return (TEMPLATES / "print.css").read_text() + "\n" + listing_css(PRINT_STYLE)


@dataclass(frozen=True)
class Sheet:
    """One exercise on the worksheet: the task, and the starter (or, in the answer key, the reference
    solution and what it prints) in each language."""

    lesson: Lesson
    title: str  # exercise.md's first heading
    task: str  # the rest of exercise.md
    task_html: str
    sources: list  # (language, code)
    listings: list  # (language, code as HTML)
    outputs: dict  # answer key: language name -> (where the output comes from, the output)
    tail: str = ""  # the last lines of the last listing, printed together with the prediction lines


def _solution_output(lesson: Lesson, language, report) -> tuple[str, str]:
    """What the reference solution prints: its stored run where it is the lesson's example, else the
    output the lesson expects (which `invoke check` holds a solution to)."""
    runs = report.runs_of(language.name) if report is not None else []
    if runs and runs[0].stdout and lesson.solution(language) == lesson.example(language):
        return f"as run on the {report.backend} backend, {report.date[:10]}", runs[0].stdout
    if lesson.expected:
        return "the output the lesson expects", lesson.expected
    return "not run yet", f"invoke run-lesson {lesson.slug}"


def render_worksheet(chosen: list[Lesson], registry: Registry, fmt: str, solutions: bool = False,
                     reports: dict[str, LessonReport] | None = None, starts: dict[str, int] | None = None) -> str:
    """The exercise worksheet: per exercise the task, the starters and room to predict the output; with
    `solutions`, the answer key: the reference solutions and what they print (from `reports`, by slug)."""
    if not chosen:
        raise KitError("no lesson has an exercise yet")
    reports = reports or {}
    sheets = []
    for lesson in chosen:
        title, task = exercise_task(lesson)
        files = [(lang, lesson.solution(lang) if solutions else lesson.starter(lang)) for lang in registry.languages.values()]
        sources = [(lang, path.read_text(encoding="utf-8")) for lang, path in files if path.is_file()]
        outputs = {lang.name: _solution_output(lesson, lang, reports.get(lesson.slug)) for lang, _ in sources} if solutions else {}
        listings = [(lang, listing(code, lang.lexer)) for lang, code in sources]
        tail = ""
        if listings and not solutions:  # the prediction lines never go to a page of their own: the last
            lang, code = sources[-1]     # lines of the last starter go with them
            lines = rows(code, lang.lexer)
            listings[-1], tail = (lang, block(lines[:-KEEP_WITH_PREDICTION])), block(lines[-KEEP_WITH_PREDICTION:])
        sheets.append(Sheet(lesson, title, task, markdown_html(task, shift=1), sources, listings, outputs, tail))
    languages = list(registry.languages.values())
    if fmt == "md":
        return _render("worksheet.md.j2", sheets=sheets, solutions=solutions)
    return _render("worksheet.html.j2", sheets=sheets, languages=languages, inline_css=print_css(),
                   solutions=solutions, starts=starts or {})
