"""The results folder: results/<backend>/<lesson>.json, the newest report of each lesson on each backend.

Saved whole or not at all; read back with the choice of backend that pages and handouts make ("auto":
Docker's report of a lesson where there is one, else the local one)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from runner import ROOT, EnvironmentProblem, KitError
from runner.model.results import LessonReport, to_json, write_atomically

RESULTS_DIR = ROOT / "results"
BACKEND_FOLDERS = ("docker", "local")  # "auto" prefers the first that has a lesson's report
AUTO = "auto"
LAST_GOOD = "last-good"  # <backend>/last-good/<lesson>.json: the good report a failing run replaced


def load_report(path: Path) -> LessonReport:
    return LessonReport.from_dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class ResultsStore:
    """The reports kept in `folder`, one folder per backend."""

    folder: Path = RESULTS_DIR

    def folder_of(self, backend: str) -> Path:
        return self.folder / backend

    def last_good(self, backend: str, lesson: str) -> Path:
        """Where a good report that a failing run replaced is kept (pages never read it)."""
        return self.folder_of(backend) / LAST_GOOD / f"{lesson}.json"

    def save(self, report: LessonReport) -> Path:
        """Save under <backend>/<lesson>.json; the newest run of a lesson replaces the older, as pages show
        what the examples do now. A report that is not good (a failed run, outputs not equivalent) replacing
        a good one keeps the good one at last_good."""
        path = self.folder_of(report.backend) / f"{report.lesson}.json"
        try:
            replaced = self.stored(report.backend, report.lesson) if not report else None
            if replaced:
                write_atomically(self.last_good(report.backend, report.lesson), path.read_text(encoding="utf-8"))
            write_atomically(path, to_json(report.to_dict()) + "\n")
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot save the results of {report.lesson} to {path}: {exc.strerror or exc}. The results saved "
                "there before are unchanged. Make room (or make the folder writable) and run again.") from None
        return path

    def stored(self, backend: str, lesson: str) -> LessonReport | None:
        """The report kept of a lesson on a backend; None when there is none the kit can read."""
        try:
            return load_report(self.folder_of(backend) / f"{lesson}.json")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def reports(self, of: str = AUTO) -> dict[str, LessonReport]:
        """The stored report of every lesson, by slug: `of` one backend, or `auto`: Docker's where there is
        one, else the local one."""
        if of not in (AUTO, *BACKEND_FOLDERS):
            raise KitError(f"unknown backend {of!r}: expected one of {AUTO}, {', '.join(BACKEND_FOLDERS)}")
        found: dict[str, LessonReport] = {}
        for backend in reversed(BACKEND_FOLDERS) if of == AUTO else (of,):  # the preferred last: it wins
            for path in sorted(self.folder_of(backend).glob("*.json")):
                try:
                    found[path.stem] = load_report(path)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise KitError(f"{path}: not a results file the kit can read ({exc}); run the lesson again "
                                   f"(`invoke run-lesson {path.stem}`) or delete the file") from None
        return found
