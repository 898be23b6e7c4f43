"""The classroom's records in SQLite: the room, its learners, their hints and every submission.

A submission is written (state `queued`, with its source) before its check starts, and its verdict when the
check ends; one left `queued` or `running` by a server that stopped is queued again by the next one. Every
call opens its own connection (WAL: readers never wait for the writer), so any thread may use the store."""
from __future__ import annotations

import enum
import json
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from runner import EnvironmentProblem, KitError

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS learners (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL UNIQUE, joined_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hints (
    learner_id INTEGER NOT NULL REFERENCES learners(id), lesson TEXT NOT NULL, language TEXT NOT NULL,
    shown INTEGER NOT NULL, PRIMARY KEY (learner_id, lesson, language));
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner_id INTEGER NOT NULL REFERENCES learners(id),
    lesson TEXT NOT NULL, language TEXT NOT NULL, source TEXT NOT NULL, state TEXT NOT NULL,
    queued_at REAL NOT NULL, started_at REAL, finished_at REAL, status TEXT, passed INTEGER,
    run_ms REAL, stall_ms REAL, verdict TEXT, restarts INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'check');
CREATE INDEX IF NOT EXISTS submissions_by_learner ON submissions (learner_id, id);
CREATE INDEX IF NOT EXISTS submissions_by_state ON submissions (state, id);
"""


class Kind(str, enum.Enum):
    CHECK = "check"  # an exercise checked: a verdict, counted in the instructor's table
    RUN = "run"  # a lesson's program, edited on its page, run: what it printed, judged by nothing


class State(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


@dataclass(frozen=True)
class Learner:
    id: int
    name: str
    joined_at: float


@dataclass(frozen=True)
class Submission:
    id: int
    learner_id: int
    learner: str
    lesson: str
    language: str
    source: str
    state: State
    queued_at: float
    started_at: float | None
    finished_at: float | None
    status: str | None  # the verdict's: passed, wrong, build_failed, timeout, ... (None until done)
    passed: bool | None
    run_ms: float | None  # the program's in-program time
    stall_ms: float | None  # the CPU wait while it ran: the machine's noise (runner/sandbox/noise.py)
    verdict: dict | None  # what `invoke check --json` prints
    restarts: int  # how many times a server stopped while it was queued or running
    kind: Kind = Kind.CHECK

    def summary(self) -> dict:
        """Everything but the source and the verdict: a row of a table."""
        return {"id": self.id, "learner": self.learner, "lesson": self.lesson, "language": self.language,
                "state": self.state.value, "status": self.status, "passed": self.passed,
                "queued_at": self.queued_at, "started_at": self.started_at, "finished_at": self.finished_at,
                "run_ms": self.run_ms, "stall_ms": self.stall_ms, "restarts": self.restarts, "kind": self.kind.value}


class NameTaken(KitError):
    """Another learner in the room has this name."""


_SELECT = "SELECT s.*, l.name AS learner FROM submissions s JOIN learners l ON l.id = s.learner_id"


class Store:
    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600, exist_ok=True)  # it holds the instructor's secret: for this user's eyes only
            with self._db() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
                if "kind" not in [row[1] for row in db.execute("PRAGMA table_info(submissions)")]:  # an older room's
                    db.execute("ALTER TABLE submissions ADD COLUMN kind TEXT NOT NULL DEFAULT 'check'")
        except (OSError, sqlite3.Error) as exc:
            raise EnvironmentProblem(f"cannot open the classroom's database {path}: {exc}; give another "
                                     "file with --db PATH") from None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:  # one transaction: committed, or rolled back on an error
                yield db

    def setting(self, key: str, default: str) -> str:
        """The stored value of `key`, stored as `default` the first time it is asked for."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, default))
            return db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()[0]

    def set_setting(self, key: str, value: str) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def add_learner(self, name: str, token_hash: str) -> Learner:
        try:
            with self._db() as db:
                now = time.time()
                cursor = db.execute("INSERT INTO learners (name, token_hash, joined_at) VALUES (?, ?, ?)",
                                    (name, token_hash, now))
                return Learner(cursor.lastrowid, name, now)
        except sqlite3.IntegrityError:
            raise NameTaken(f"someone in this room is called {name!r} already: add an initial or a number") from None

    def rename(self, learner: Learner, name: str) -> None:
        try:
            with self._db() as db:
                db.execute("UPDATE learners SET name = ? WHERE id = ?", (name, learner.id))
        except sqlite3.IntegrityError:
            raise NameTaken(f"someone in this room is called {name!r} already: add an initial or a number") from None

    def forget_token(self, learner: Learner, token_hash: str) -> None:
        """The learner's token no longer lets anyone in (it is replaced by `token_hash`, of a token nobody has);
        their work stays."""
        with self._db() as db:
            db.execute("UPDATE learners SET token_hash = ? WHERE id = ?", (token_hash, learner.id))

    def learner(self, token_hash: str) -> Learner | None:
        with self._db() as db:
            row = db.execute("SELECT id, name, joined_at FROM learners WHERE token_hash = ?", (token_hash,)).fetchone()
        return Learner(*row) if row else None

    def learners(self) -> list[Learner]:
        with self._db() as db:
            return [Learner(*row) for row in db.execute("SELECT id, name, joined_at FROM learners ORDER BY id")]

    def add_submission(self, learner: Learner, lesson: str, language: str, source: str,
                       kind: Kind = Kind.CHECK) -> int:
        with self._db() as db:
            return db.execute("INSERT INTO submissions (learner_id, lesson, language, source, state, queued_at, kind) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", (learner.id, lesson, language, source,
                                                               State.QUEUED.value, time.time(), kind.value)).lastrowid

    def requeue_unfinished(self) -> list[int]:
        """The submissions a stopped server left queued or running, oldest first, all queued again."""
        with self._db() as db:
            db.execute("UPDATE submissions SET state = ?, started_at = NULL, restarts = restarts + 1 "
                       "WHERE state IN (?, ?)", (State.QUEUED.value, State.QUEUED.value, State.RUNNING.value))
            return [row[0] for row in db.execute("SELECT id FROM submissions WHERE state = ? ORDER BY id",
                                                 (State.QUEUED.value,))]

    def start(self, submission_id: int) -> None:
        with self._db() as db:
            db.execute("UPDATE submissions SET state = ?, started_at = ? WHERE id = ?",
                       (State.RUNNING.value, time.time(), submission_id))

    def back_to_queue(self, submission_id: int) -> None:
        """Queued again after it had started: its worker stopped (a queue on Redis tries it once more)."""
        with self._db() as db:
            db.execute("UPDATE submissions SET state = ?, started_at = NULL WHERE id = ? AND state = ?",
                       (State.QUEUED.value, submission_id, State.RUNNING.value))

    def finish(self, submission_id: int, verdict: dict) -> None:
        run = verdict.get("run") or {}
        with self._db() as db:
            db.execute("UPDATE submissions SET state = ?, finished_at = ?, status = ?, passed = ?, run_ms = ?, "
                       "stall_ms = ?, verdict = ? WHERE id = ?",
                       (State.DONE.value, time.time(), verdict.get("status"), bool(verdict.get("passed")),
                        run.get("run_ms"), run.get("stall_ms"), json.dumps(verdict), submission_id))

    def submission(self, submission_id: int) -> Submission | None:
        with self._db() as db:
            row = db.execute(f"{_SELECT} WHERE s.id = ?", (submission_id,)).fetchone()
        return _submission(row) if row else None

    def submissions(self, learner: Learner | None = None, kind: Kind | None = Kind.CHECK) -> list[Submission]:
        """Every submission of this kind (None: of every kind), of `learner` when given, oldest first."""
        kinds = [k.value for k in Kind] if kind is None else [kind.value]
        where = f"s.kind IN ({', '.join('?' * len(kinds))})"
        with self._db() as db:
            rows = (db.execute(f"{_SELECT} WHERE s.learner_id = ? AND {where} ORDER BY s.id", (learner.id, *kinds))
                    if learner else db.execute(f"{_SELECT} WHERE {where} ORDER BY s.id", kinds))
            return [_submission(row) for row in rows]

    def in_flight(self, learner: Learner) -> tuple[int, Kind] | None:
        """The learner's submission (a check or a run) still queued or running, if any."""
        with self._db() as db:
            row = db.execute("SELECT id, kind FROM submissions WHERE learner_id = ? AND state != ?",
                             (learner.id, State.DONE.value)).fetchone()
        return (row[0], Kind(row[1])) if row else None

    def hints_shown(self, learner: Learner, lesson: str, language: str) -> int:
        with self._db() as db:
            row = db.execute("SELECT shown FROM hints WHERE learner_id = ? AND lesson = ? AND language = ?",
                             (learner.id, lesson, language)).fetchone()
        return row[0] if row else 0

    def show_hint(self, learner: Learner, lesson: str, language: str, total: int) -> int:
        """One more hint shown (at most `total`): how many are shown now."""
        with self._db() as db:
            db.execute("INSERT INTO hints (learner_id, lesson, language, shown) VALUES (?, ?, ?, min(1, ?)) "
                       "ON CONFLICT DO UPDATE SET shown = min(shown + 1, ?)",
                       (learner.id, lesson, language, total, total))
        return self.hints_shown(learner, lesson, language)


def _submission(row: sqlite3.Row) -> Submission:
    data = dict(row)
    data["state"] = State(data["state"])
    data["kind"] = Kind(data["kind"])
    data["passed"] = None if data["passed"] is None else bool(data["passed"])
    data["verdict"] = json.loads(data["verdict"]) if data["verdict"] else None
    return Submission(**data)
