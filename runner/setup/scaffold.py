"""A new lesson from stubs: a folder and one example per language that already runs and compares equal."""
from __future__ import annotations

from pathlib import Path

from runner import ROOT, KitError
from runner.model.languages import Registry
from runner.model.lessons import LESSONS_DIR, SLUG, load_lesson

STUBS = Path(__file__).with_name("stubs")


def _fill(text: str, slug: str, title: str, notes: str = "") -> str:
    return text.replace("LESSON_SLUG", slug).replace("LESSON_TITLE", title).replace("LESSON_NOTES", notes)


def new_lesson(slug: str, registry: Registry, lessons_dir: Path = LESSONS_DIR) -> list[Path]:
    """Write lessons/<slug>/ and a stub example in every language that has one; returns the files."""
    if not SLUG.match(slug):
        raise KitError(f"{slug!r} is not a lesson name: use lower-case words joined by '-', e.g. 'retry-loop'")
    root = lessons_dir.parent
    folder = lessons_dir / slug
    languages = [lang for lang in registry.languages.values() if lang.stub]
    examples = {lang: lang.example_path(slug, root) for lang in languages}
    taken = [path for path in (folder, *examples.values()) if path.exists()]
    if taken:
        names = ", ".join(str(p.relative_to(root)) for p in taken)
        raise KitError(f"the lesson {slug!r} exists already ({names}): choose another name, or edit those files")
    title = slug.replace("-", " ").capitalize()
    notes = "".join(f"  {lang.name}: What a learner trips over in {lang.title}.\n" for lang in languages)
    folder.mkdir(parents=True)
    written = []
    for name, text in (("lesson.yaml", _fill((STUBS / "lesson.yaml").read_text(), slug, title, notes.rstrip("\n"))),
                       ("lesson.md", _fill((STUBS / "lesson.md").read_text(), slug, title))):
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    for lang, path in examples.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(lang.stub.read_text(encoding="utf-8"), slug, title), encoding="utf-8")
        written.append(path)
    _, problems = load_lesson(folder, registry)
    if problems:  # the stubs themselves are wrong: a defect of the kit, said plainly
        raise KitError("the new lesson does not pass validation:\n  " + "\n  ".join(problems))
    return written
