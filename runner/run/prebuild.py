"""Builds done ahead: while one lesson runs, the examples of the next ones that need a build are built
(one at a time, at the low CPU priority of every build) into the build cache, so that a course waits
for few compiles. A lesson waits only for its own builds before it starts."""
from __future__ import annotations

import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from runner.sandbox.backend import Backend
from runner.sandbox.run_context import RunContext
from runner.model.languages import Language
from runner.model.lessons import Lesson


class Prebuilder:
    def __init__(self, lessons: list[Lesson], languages: list[Language], backend: Backend):
        self.backend, self.run_id = backend, uuid.uuid4().hex[:12]
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="prebuild-")
        self.futures: dict[str, list[Future]] = {}
        for lesson in lessons:
            for language in languages:
                path = lesson.example(language)
                if language.build and path.is_file():
                    self.futures.setdefault(lesson.slug, []).append(
                        self.pool.submit(self._build, lesson, language, path.read_bytes(), path.name))

    def _build(self, lesson: Lesson, language: Language, source: bytes, filename: str) -> None:
        context = RunContext(self.run_id, lesson.slug, language.name)
        with self.backend.example(lesson.built(language), source, filename, lesson.timeout, context):
            pass  # made ready: built, and kept in the build cache

    def wait(self, lesson: Lesson) -> None:
        """Until the lesson's builds are done (a failed one is the lesson's to report: it builds again)."""
        for future in self.futures.get(lesson.slug, []):
            future.exception()

    def wait_all(self) -> None:
        for futures in self.futures.values():
            for future in futures:
                future.exception()

    def stop(self) -> None:
        """Drop the builds not started, stop the one under way, and wait for the thread."""
        for futures in self.futures.values():
            for future in futures:
                future.cancel()
        if any(not f.done() for futures in self.futures.values() for f in futures):
            self.backend.abort(self.run_id)
        self.pool.shutdown(wait=True)
