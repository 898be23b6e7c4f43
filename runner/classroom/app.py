"""The classroom's web app: the JSON API, the two pages, and the rules that keep a room safe.

Learners join with the room code and a name and get a token (also an HttpOnly SameSite=Strict cookie); the
instructor uses the secret printed at start. Every answer is JSON (an error too, never a traceback), every
response carries a Content-Security-Policy that allows no inline script, and the pages put what learners
and programs wrote into the page as text, never as markup."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from runner.classroom.checks import Queue
from runner.classroom.limits import MAX_BODY, ApiError, Limits, read_json, text_field
from runner.classroom import report
from runner.classroom.store import Kind, Learner, NameTaken, State, Store
from runner.model.languages import Registry
from runner.model.lesson import Lesson, exercises

HERE = Path(__file__).parent
STATIC, EDITOR = HERE / "static", HERE / "editor" / "dist"
COOKIE = "rosetta_learner"
MAX_NAME = 40
MAX_LEARNERS = 300
MAX_WAIT = 20  # seconds a request for a check's state may wait for a change (a long poll)
log = logging.getLogger("runner.classroom")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@dataclass(frozen=True)
class Room:
    code: str
    instructor_secret: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_app(room: Room, store: Store, queue: Queue, registry: Registry, lessons: dict[str, Lesson],
               allowed_hosts: list[str] | None = None) -> Starlette:
    limits = Limits()

    def bearer(request: Request) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" and value.strip() else None

    def instructor(request: Request) -> None:
        token = bearer(request)
        if not token or not hmac.compare_digest(token.encode(), room.instructor_secret.encode()):
            raise ApiError(401, "this needs the instructor's secret (printed when the classroom started) as "
                                "`Authorization: Bearer SECRET`")

    def learner(request: Request) -> Learner:
        token = bearer(request) or request.cookies.get(COOKIE)
        who = store.learner(token_hash(token)) if token else None
        if who is None:
            raise ApiError(401, "join the room first (POST /api/join with the room code and your name); "
                                "this token is unknown" if token else "join the room first: POST /api/join "
                                "with the room code and your name")
        limits.request(who.id)
        return who

    def exercise(slug: str, language: str | None = None) -> Lesson:
        lesson = lessons.get(slug)
        if lesson is None or lesson.exercise is None:
            raise ApiError(404, f"no exercise {slug!r}; these have one: {', '.join(exercises(lessons))}")
        if language is not None and (language not in registry.languages
                                     or not lesson.starter(registry.languages[language]).is_file()):
            names = [entry["name"] for entry in report.exercise_list(registry, {slug: lesson})[0]["languages"]]
            raise ApiError(400, f"the {slug} exercise has no language {language!r}: expected one of {', '.join(names)}")
        return lesson

    def name_of(body: dict) -> str:
        name = text_field(body, "name", MAX_NAME).strip()
        if not name or not name.isprintable():
            raise ApiError(400, "a name needs letters, with no control characters")
        return name

    async def join(request: Request) -> Response:
        limits.join(request.client.host if request.client else "?")
        body = await read_json(request)
        code, name = text_field(body, "room", 64), name_of(body)
        if not hmac.compare_digest(code.strip().upper().encode(), room.code.encode()):
            raise ApiError(403, "that is not this room's code: ask the instructor for it")
        if len(store.learners()) >= MAX_LEARNERS:
            raise ApiError(403, f"the room is full ({MAX_LEARNERS} learners)")
        token = secrets.token_urlsafe(24)
        try:
            store.add_learner(name, token_hash(token))
        except NameTaken as exc:
            raise ApiError(409, str(exc)) from None
        response = JSONResponse({"token": token, "name": name})
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=7 * 24 * 3600)
        return response

    async def rename(request: Request) -> Response:
        who = learner(request)
        name = name_of(await read_json(request))
        try:
            store.rename(who, name)
        except NameTaken as exc:
            raise ApiError(409, str(exc)) from None
        return JSONResponse({"name": name})

    async def leave(request: Request) -> Response:
        """This browser (or script) is no longer the learner: the token stops working; their work stays."""
        who = learner(request)
        store.forget_token(who, token_hash(secrets.token_urlsafe(24)))
        response = JSONResponse({"left": who.name})
        response.delete_cookie(COOKIE, httponly=True, samesite="strict")
        return response

    async def me(request: Request) -> Response:
        who = learner(request)
        return JSONResponse({"name": who.name, "submissions": [s.summary() for s in store.submissions(who)]})

    async def exercise_index(request: Request) -> Response:
        return JSONResponse(report.exercise_list(registry, lessons))

    async def exercise_detail(request: Request) -> Response:
        lesson = exercise(request.path_params["lesson"])
        page = report.exercise_page(lesson, registry)
        token = bearer(request) or request.cookies.get(COOKIE)
        who = store.learner(token_hash(token)) if token else None
        if who is not None:  # the hints this learner has seen already, for a page that was reloaded
            page["hints_shown"] = {name: lesson.exercise.hints_for(name)[:store.hints_shown(who, lesson.slug, name)]
                                   for name in page["starters"]}
        return JSONResponse(page)

    async def next_hint(request: Request) -> Response:
        who = learner(request)
        body = await read_json(request)
        slug, language = text_field(body, "lesson", 100), text_field(body, "language", 40)
        hints = exercise(slug, language).exercise.hints_for(language)
        shown = store.show_hint(who, slug, language, len(hints))
        return JSONResponse({"number": shown, "total": len(hints), "hints": hints[:shown]})

    def program(slug: str, language: str | None = None) -> Lesson:
        lesson = lessons.get(slug)
        if lesson is None:
            raise ApiError(404, f"no lesson {slug!r}; these are the lessons: {', '.join(lessons)}")
        if language is not None and language not in report.programs(lesson, registry):
            raise ApiError(400, f"the {slug} lesson has no program in {language!r}: expected one of "
                                f"{', '.join(report.programs(lesson, registry))}")
        return lesson

    async def first_lesson(request: Request) -> Response:
        return RedirectResponse(f"/lessons/{next(iter(lessons), '')}")

    async def lesson_index(request: Request) -> Response:
        return JSONResponse([{"lesson": lesson.slug, "title": lesson.title} for lesson in lessons.values()])

    async def lesson_detail(request: Request) -> Response:
        return JSONResponse(report.lesson_page(program(request.path_params["lesson"]), registry))

    async def submit_check(request: Request) -> Response:
        return await submit(request, Kind.CHECK)

    async def submit_run(request: Request) -> Response:
        return await submit(request, Kind.RUN)

    async def submit(request: Request, kind: Kind) -> Response:
        """A check of an exercise or a run of a lesson's program: the same queue, sandbox and limits, one of
        either in flight per learner."""
        who = learner(request)
        body = await read_json(request)
        slug, language = text_field(body, "lesson", 100), text_field(body, "language", 40)
        source = text_field(body, "source", MAX_BODY)
        (program if kind is Kind.RUN else exercise)(slug, language)
        if (waiting := store.in_flight(who)) is not None:
            raise ApiError(409, f"your {waiting[1].value} {waiting[0]} is not done yet: one check or run at a time")
        limits.check(who.id)
        submission_id = store.add_submission(who, slug, language, source, kind)  # on disk before it is queued
        await queue.submit(submission_id)
        return JSONResponse({"id": submission_id, "state": "queued", "position": queue.position(submission_id)},
                            status_code=202)

    def waiting(request: Request) -> float:
        """?wait=SECONDS: how long a request for a check's state may wait for it to change (0: answer at once)."""
        given = request.query_params.get("wait", "0")
        try:
            seconds = float(given)
        except ValueError:
            seconds = -1
        if not 0 <= seconds <= MAX_WAIT:
            raise ApiError(400, f"?wait={given!r}: the seconds to wait for a change, from 0 to {MAX_WAIT}")
        return seconds

    async def check_state(request: Request) -> Response:
        try:
            submission_id = int(request.path_params["id"])
        except ValueError:
            raise ApiError(404, f"no check {request.path_params['id']!r}: a check's id is a number") from None
        if bearer(request) == room.instructor_secret:
            instructor(request)
            submission = store.submission(submission_id)
        else:
            who = learner(request)
            submission = store.submission(submission_id)
            if submission is not None and submission.learner_id != who.id:
                submission = None  # another learner's: as if there were none
        if submission is None:
            raise ApiError(404, f"no check {submission_id} of yours")
        seconds = waiting(request)
        if submission.state is not State.DONE and seconds:
            # A long poll: answered when the check starts or ends or its place changes, at once after that.
            seen = (submission.state, queue.position(submission.id))
            deadline = time.monotonic() + seconds
            while (submission.state, queue.position(submission.id)) == seen and not queue.closing \
                    and (left := deadline - time.monotonic()) > 0:
                await queue.change(left)
                submission = store.submission(submission_id)
        return JSONResponse({**submission.summary(), "position": queue.position(submission.id),
                             "source": submission.source, "verdict": submission.verdict,
                             "timelines": report.timelines(lessons[submission.lesson], submission.verdict)
                             if submission.lesson in lessons else None})

    async def progress(request: Request) -> Response:
        instructor(request)
        table = report.progress(store.learners(), store.submissions(), lessons)
        return JSONResponse({"room": room.code, **table})

    async def export(request: Request) -> Response:
        instructor(request)
        submissions = store.submissions()
        if request.path_params["format"] == "csv":
            return Response(report.export_csv(submissions), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'attachment; filename="classroom.csv"'})
        return Response(json.dumps(report.export_json(submissions), indent=1), media_type="application/json",
                        headers={"content-disposition": 'attachment; filename="classroom.json"'})

    def page(name: str):
        html = (STATIC / name).read_text(encoding="utf-8")

        async def serve(request: Request) -> Response:
            # The code editor writes its styles into a <style> element, allowed by a nonce of this answer's own
            # that the page hands to the editor, and places its cursor and selection with style attributes,
            # which run nothing. Scripts still come only from the classroom's files.
            nonce = secrets.token_urlsafe(16)
            policy = CSP.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'")
            return HTMLResponse(html.replace("STYLE_NONCE", nonce), headers={"content-security-policy": policy})
        return serve

    async def api_error(request: Request, exc: ApiError) -> Response:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        what = {404: f"no such page or endpoint: {request.url.path}",
                405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, exc.detail)
        return JSONResponse({"error": what}, status_code=exc.status_code)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("the classroom failed on %s %s", request.method, request.url.path)
        return JSONResponse({"error": "the classroom failed on this request; the instructor's terminal shows why"},
                            status_code=500)

    @asynccontextmanager
    async def lifespan(app):
        again = queue.start()
        if again:
            log.warning("%d check(s) left queued or running by the last server are queued again", again)
        yield
        await queue.stop()

    routes = [
        Route("/", page("learner.html")),
        Route("/instructor", page("instructor.html")),
        Route("/api/join", join, methods=["POST"]),
        Route("/api/me", me),
        Route("/api/me/name", rename, methods=["POST"]),
        Route("/api/leave", leave, methods=["POST"]),
        Route("/api/exercises", exercise_index),
        Route("/api/exercises/{lesson}", exercise_detail),
        Route("/api/hints", next_hint, methods=["POST"]),
        Route("/api/checks", submit_check, methods=["POST"]),
        Route("/api/checks/{id}", check_state),
        Route("/lessons", first_lesson),
        Route("/lessons/{lesson}", page("lesson.html")),
        Route("/api/lessons", lesson_index),
        Route("/api/lessons/{lesson}", lesson_detail),
        Route("/api/runs", submit_run, methods=["POST"]),
        Route("/api/runs/{id}", check_state),
        Route("/api/progress", progress),
        Route("/api/export.{format:str}", export),
        Mount("/static", StaticFiles(directory=STATIC)),
        Mount("/editor", StaticFiles(directory=EDITOR, check_dir=False)),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:  # a page of another site that resolves its name to 127.0.0.1 gets no answer
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={ApiError: api_error, HTTPException: http_error, Exception: server_error})


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, errors included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                given = {k.decode().lower() for k, _ in message["headers"]}  # a page's own policy stays
                message["headers"] += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k not in given]
                if scope["path"].startswith("/api/"):  # answers about a learner's work: never kept by a cache
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, with_headers)
