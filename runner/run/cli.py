"""What every task in tasks.py shares: its decorator, whose short flags mean one thing in every command, and
its errors turned into a message and an exit status."""
from __future__ import annotations

from contextlib import contextmanager
from functools import partial

from invoke import Exit, Task
from invoke import task as invoke_task

from runner import KitError

# What each short flag means, the same in every command that has the long one; a flag not here has none (invoke
# would give it its first letter not yet taken in that command: -l was --lesson in one, --lang in another).
SHORT_FLAGS = {"lang": "l", "backend": "b", "json": "j", "repeat": "r", "serial": "s", "out": "o", "force": "f",
               "port": "p", "dir": "d", "cache": "c", "quick": "q", "workers": "w"}


class KitTask(Task):
    """An invoke task whose short flags are SHORT_FLAGS' (a one-letter argument, such as pytest's -k, is its own)."""

    def arg_opts(self, name, default, taken_names):
        opts = super().arg_opts(name, default, taken_names)
        long = opts["names"][0]
        short = SHORT_FLAGS.get(name, "")
        opts["names"] = [long, short] if short else [long]
        return opts


task = partial(invoke_task, klass=KitTask)  # @task and @task(...) as invoke's, making KitTasks


@contextmanager
def errors():
    """Turn the kit's own errors and Ctrl-C into a message and an exit status, never a traceback."""
    try:
        yield
    except (KitError, KeyboardInterrupt, BrokenPipeError) as exc:
        from runner.run.commands import exit_for

        message, code = exit_for(exc)
        raise Exit(message, code=code)
