"""The learner loop on the command line: check on every save, progress, the next exercise, a hint again, the
language read from the workspace, the task as text. Real `invoke` processes in a copy of the kit."""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.test_cli import invoke
from tests.test_exercises import SOLUTION, STARTER, toast  # noqa: F401 (toast: the fixture)

VERDICT_WAIT = 90  # seconds for one check of a 0.3 s program on the local backend, on a machine others share


class Watching:
    """`invoke check --watch` running, its stdout and stderr read as they come."""

    def __init__(self, kit, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "invoke", "check", *args], cwd=kit, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "COLUMNS": "250"})  # a message on one line
        self.lines: queue.Queue = queue.Queue()
        self.seen = {"stdout": [], "stderr": []}
        self.matched = {"stdout": 0, "stderr": 0}  # where the next wait_for looks from
        for name in self.seen:
            threading.Thread(target=self._read, args=(name,), daemon=True).start()

    def _read(self, name):
        for line in getattr(self.proc, name):
            self.lines.put((name, line))

    def wait_for(self, name: str, pattern: str) -> None:
        """Until a line of `name` (stdout or stderr) after the last one matched there matches `pattern` (the two
        streams are read apart, so a stderr line may be read before the stdout line printed ahead of it)."""
        deadline = time.monotonic() + VERDICT_WAIT
        while True:
            lines = self.seen[name]
            found = next((i for i in range(self.matched[name], len(lines)) if re.search(pattern, lines[i])), None)
            if found is not None:
                self.matched[name] = found + 1
                return
            try:
                which, line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen[which].append(line)
        self.proc.kill()
        pytest.fail(f"no {pattern!r} on {name} in {VERDICT_WAIT} s:\n{''.join(self.seen['stdout'])}\n"
                    f"{''.join(self.seen['stderr'])}")

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C while it waits for a save: its exit status and all it said on stderr."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=60)
        time.sleep(0.2)  # the readers' last lines
        while not self.lines.empty():
            which, line = self.lines.get()
            self.seen[which].append(line)
        return code, "".join(self.seen["stderr"])


@pytest.mark.local
def test_check_watch_checks_again_on_every_save_until_ctrl_c(toast, no_stray_processes):
    """Starter (NOT YET), a moment's empty file (said, and the watch goes on), the solution (PASS, kept as
    progress), Ctrl-C: exit 0, the last verdict's; then with the starter again, Ctrl-C exits 1."""
    assert invoke("exercise", "toast", "--lang", "python", cwd=toast).returncode == 0
    mine = toast / "workspace" / "toast" / "toast.py"
    watching = Watching(toast, "toast", "--watch", "--backend", "local")  # --lang: the one file's
    watching.wait_for("stdout", r"^NOT YET: toast in python")
    watching.wait_for("stderr", r"watching workspace/toast/toast.py: save it to check again")
    mine.write_text("")
    watching.wait_for("stderr", r"error: .*toast.py is empty")
    mine.write_text(SOLUTION)
    watching.wait_for("stdout", r"^PASS: toast in python")
    watching.wait_for("stderr", r"^1 of \d+ exercises passed in Python; `invoke next` names the next one")
    watching.wait_for("stderr", r"watching workspace/toast/toast.py")
    code, said = watching.interrupt()
    assert code == 0 and "stopped watching; the last check: PASS" in said, said
    assert "Traceback" not in said and "interrupted" not in said
    assert set(json.loads((toast / "workspace" / "toast" / "passed.json").read_text())) == {"python"}
    done = invoke("next", cwd=toast)
    assert done.returncode == 0 and re.search(r"1 of \d+ exercises passed in Python\. Next: kitchen", done.stdout)
    assert "start it:\n  invoke exercise kitchen --lang python\n" in done.stdout

    mine.write_text(STARTER)
    watching = Watching(toast, "toast", "--watch", "--backend", "local", "--lang", "python")
    watching.wait_for("stdout", r"^NOT YET: toast in python")
    watching.wait_for("stderr", r"watching workspace/toast/toast.py")
    code, said = watching.interrupt()
    assert code == 1 and "stopped watching; the last check: NOT YET" in said, said


def test_the_language_comes_from_the_workspace_and_hints_can_be_shown_again(toast):
    refused = invoke("hint", "toast", cwd=toast)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "which language? workspace/toast/ has no file of yours yet" in refused.stderr
    assert "invoke exercise toast --lang LANG" in refused.stderr
    none_yet = invoke("hint", "toast", "--lang", "py", "--again", cwd=toast)
    assert none_yet.returncode == 0 and "no hint shown yet for toast in Python" in none_yet.stdout
    assert invoke("exercise", "toast", "--lang", "python", cwd=toast).returncode == 0
    said = [invoke("hint", "toast", *flags, cwd=toast).stdout.strip() for flags in ((), ("--again",), (), ("--again",))]
    assert said == ["hint 1 of 2: Both can wait at the same time.",
                    "hint 1 of 2 (again): Both can wait at the same time.",
                    "hint 2 of 2: asyncio.gather waits for several coroutines at once.",
                    "hint 2 of 2 (again): asyncio.gather waits for several coroutines at once."]
    (toast / "workspace" / "toast" / "toast.mjs").write_text("console.log('mine');\n")
    for command in (("hint", "toast"), ("check", "toast", "--watch"), ("exercise", "toast")):
        ambiguous = invoke(*command, cwd=toast)
        assert ambiguous.returncode == 2 and "Traceback" not in ambiguous.stderr, command
        assert ("which language? workspace/toast/ has your files in 2 languages (toast.py, toast.mjs): add --lang "
                "python or --lang javascript") in ambiguous.stderr, command
    missing = invoke("check", "gather", "--lang", "python", "--watch", cwd=toast)
    assert missing.returncode == 2 and "no workspace/gather/gather.py yet" in missing.stderr


def test_next_names_the_first_exercise_to_a_newcomer(toast):
    done = invoke("next", cwd=toast)
    assert done.returncode == 0, done.stderr
    assert "no exercise started yet" in done.stdout and "The first: kitchen - The kitchen" in done.stdout
    assert "start it, LANG one of python, javascript, csharp:\n  invoke exercise kitchen --lang LANG\n" in done.stdout
    assert invoke("exercise", "gather", "--lang", "javascript", cwd=toast).returncode == 0
    done = invoke("next", cwd=toast)  # per language in use: JavaScript's kitchen comes first in the course
    assert re.search(r"^0 of 12 exercises passed in JavaScript\. Next: kitchen - The kitchen$", done.stdout, re.M)
    assert "Python" not in done.stdout
    done = invoke("next", "--lang", "js", cwd=toast)
    assert "in JavaScript" in done.stdout
    bad = invoke("next", "--lang", "rust", cwd=toast)
    assert bad.returncode == 2 and "unknown language 'rust'" in bad.stderr


def test_exercise_prints_the_task_as_text_not_markdown(kit_copy):
    done = invoke("exercise", "gather", "--lang", "python", cwd=kit_copy)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "Exercise: ask every station at once" in text and "# Exercise" not in text
    assert "Your task: ask all three stations at once" in text and "**" not in text
    assert "Look for the TODO." in text and "`TODO`" not in text
    assert done.stdout.endswith("Edit workspace/gather/gather.py, then:\n"  # a command a line, never wrapped
                                "  invoke check gather          check it\n"
                                "  invoke check gather --watch  check it again on every save (Ctrl-C stops)\n"
                                "  invoke hint gather           a hint, when you are stuck\n")
