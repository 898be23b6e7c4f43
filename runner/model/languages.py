"""The language registry: a YAML table of languages, loaded into frozen dataclasses."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from runner import ROOT, KitError

REGISTRY_FILE = ROOT / "runner" / "languages" / "registry.yaml"
# How a build is made, the {configuration} of a build command: as `dotnet build` does by default, or
# optimized. Which one a lesson's examples get is the lesson's to say (Lesson.built).
DEBUG, RELEASE = "Debug", "Release"


@dataclass(frozen=True)
class Limits:
    """Sandbox limits for one phase (build or run) of one language."""

    memory_mb: int = 256
    pids: int = 64
    timeout: float | None = None  # seconds; None: the lesson's timeout


@dataclass(frozen=True)
class StaticRule:
    """A classic async mistake found in a learner's file without running it; an exercise may `allow` it by id."""

    id: str
    message: str  # {1}, {2}, ...: what the pattern's groups (or the analysis) found
    pattern: str = ""  # a regular expression (multi-line) over the code with its comments blanked out
    analysis: str = ""  # or the name of an analysis in code (runner/run/analyses/<language>.py, by name in static_checks.ANALYSES)
    when_forbidden: str = ""  # off, except in an exercise that forbids this (`forbid: [threads]`)


@dataclass(frozen=True)
class CompilerServer:
    """A compiler kept warm between builds (C#: Roslyn's compiler server) in a long-lived container of its
    own (runner/sandbox/docker/compiler.py). The build script compiles through it when COMPILER_SERVER is
    set, and exits with `fresh_exit` for a source it must build in a container of its own."""

    idle_seconds: int = 600  # the server's container ends itself after this long without a build
    fresh_exit: int = 86


@dataclass(frozen=True)
class Language:
    name: str
    title: str
    folder: str
    extension: str
    lexer: str
    image: str
    offline_image: str
    run: tuple[str, ...]
    version: tuple[str, ...]
    build: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    limits: Limits = Limits()
    build_limits: Limits = Limits(memory_mb=1024, pids=256, timeout=120)
    offline: Path | None = None  # the script that adds the runtime to the offline image; None: Debian's own
    stub: Path | None = None  # the example `invoke new-lesson` starts from, if the language has one
    exit_codes: tuple[tuple[int, str], ...] = ()  # what the runtime means by an exit code, for learners
    build_script: str = ""  # the text of a shell script that the build command runs as {script}
    out_of_memory: str = ""  # a regex on stderr: the runtime gave up for want of memory
    comments: str = ""  # a regex for comments, blanked out before static rules' patterns are matched
    static_rules: tuple[StaticRule, ...] = ()
    aliases: tuple[str, ...] = ()  # other names --lang accepts, besides the name and title (in any case)
    compiler_server: CompilerServer | None = None  # builds go to a warm compiler; None: each in a container

    def ran_out_of_memory(self, stderr: str) -> bool:
        return bool(self.out_of_memory) and re.search(self.out_of_memory, stderr, re.MULTILINE) is not None

    def example_path(self, slug: str, root: Path = ROOT) -> Path:
        return root / self.folder / f"{slug}{self.extension}"

    def configured(self, configuration: str) -> Language:
        """The language whose build command makes this configuration (DEBUG or RELEASE). The build
        cache keys a build by its command, so the two configurations of a source are two entries."""
        return replace(self, build=tuple(part.replace("{configuration}", configuration) for part in self.build))

    def command(self, template: tuple[str, ...], source: str, build_dir: str) -> list[str]:
        """Fill a command template for a source file at `source` inside the sandbox (a build not
        `configured` is a DEBUG one)."""
        stem = Path(source).stem
        return [part.format(source=source, build=build_dir, stem=stem, script=self.build_script,
                            configuration=DEBUG)
                for part in template]


@dataclass(frozen=True)
class Registry:
    languages: dict[str, Language] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.languages)

    @property
    def rule_ids(self) -> list[str]:
        """Every static rule's id, in registry order: what an exercise may `allow`."""
        return list(dict.fromkeys(rule.id for lang in self.languages.values() for rule in lang.static_rules))

    @property
    def forbiddable(self) -> list[str]:
        """What an exercise may `forbid`: the things a rule kept for such exercises looks for (`when_forbidden`)."""
        return list(dict.fromkeys(rule.when_forbidden for lang in self.languages.values()
                                  for rule in lang.static_rules if rule.when_forbidden))

    def language_for(self, name: str | None, file: str | Path | None = None) -> Language:
        """The language named (by --lang), or else the one whose examples end as `file` does."""
        if name:
            return self.get(name)
        by_extension = {lang.extension: lang for lang in self.languages.values()}
        if file and Path(file).suffix in by_extension:
            return by_extension[Path(file).suffix]
        raise KitError(f"which language? add --lang, one of {', '.join(self.names)}")

    def get(self, name: str) -> Language:
        """The language a person names: by its name, its title or an alias, in any case ('C#', 'js', 'Python')."""
        for language in self.languages.values():
            if name.strip().casefold() in (n.casefold() for n in (language.name, language.title, *language.aliases)):
                return language
        others = "; ".join(f"{lang.name}: {', '.join((lang.title, *lang.aliases))}" for lang in self.languages.values())
        raise KitError(f"unknown language {name!r}: expected one of {', '.join(self.names)}, in any case, or a "
                       f"title or alias ({others})")

    def select(self, names: str | list[str] | None) -> list[Language]:
        """Languages named in a comma-separated string or list, or all of them."""
        if not names:
            return list(self.languages.values())
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",") if n.strip()]
        return list({language.name: language for language in map(self.get, names)}.values())


_REQUIRED = ("title", "folder", "extension", "lexer", "image", "offline_image", "run", "version")
_OPTIONAL = ("aliases", "build", "env", "limits", "build_limits", "offline", "stub", "exit_codes", "build_script",
             "out_of_memory", "comments", "static_rules", "compiler_server")
_FILES = ("stub", "build_script", "offline")  # paths from the registry's folder


def _compiler_server(raw, where: str) -> CompilerServer | None:
    if raw is None:
        return None
    keys = {"idle_seconds", "fresh_exit"}
    if not isinstance(raw, dict) or set(raw) - keys:
        raise KitError(f"{where}: expected a mapping with {' and '.join(sorted(keys))}, found {raw!r}")
    try:
        return CompilerServer(**{key: int(value) for key, value in raw.items()})
    except (TypeError, ValueError):
        raise KitError(f"{where}: idle_seconds and fresh_exit are whole numbers, found {raw!r}") from None


def _limits(raw: dict, default: Limits, where: str) -> Limits:
    unknown = set(raw) - {"memory_mb", "pids", "timeout"}
    if unknown:
        raise KitError(f"{where}: unknown keys {sorted(unknown)}; allowed: memory_mb, pids, timeout")
    return Limits(
        memory_mb=int(raw.get("memory_mb", default.memory_mb)),
        pids=int(raw.get("pids", default.pids)),
        timeout=raw.get("timeout", default.timeout),
    )


def _bad_regexes(entry: dict, keys) -> list[tuple[str, Exception]]:
    bad = []
    for key in keys:
        try:
            re.compile(str(entry.get(key, "")))
        except re.error as exc:
            bad.append((key, exc))
    return bad


def _aliases(raw: dict, where: str, problems: list[str]) -> tuple[str, ...]:
    """A language's aliases: a list of words, none of them another language's name, title or alias (checked once
    every entry is read, in _ambiguous)."""
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() and " " not in a.strip()
                                                for a in aliases):
        problems.append(f"{where}: aliases: expected a list of words (such as [py, python3]), got {aliases!r}")
        return ()
    return tuple(a.strip() for a in aliases)


def _ambiguous(languages: dict[str, Language], path: Path) -> list[str]:
    """A name, title or alias that names two languages (in any case): --lang could not tell which."""
    owners: dict[str, set[str]] = {}
    for language in languages.values():
        for word in (language.name, language.title, *language.aliases):
            owners.setdefault(word.casefold(), set()).add(language.name)
    return [f"{path}: aliases: {word!r} names {' and '.join(sorted(names))}; a name, title or alias names one "
            "language" for word, names in owners.items() if len(names) > 1]


def _static_rules(raw, where: str, problems: list[str]) -> tuple[StaticRule, ...]:
    """A language's static rules: each an id, a message and either a pattern or the name of an analysis; and
    optionally `when_forbidden`: what an exercise must forbid for the rule to apply (off elsewhere)."""
    if not isinstance(raw or [], list):
        problems.append(f"{where}: expected a list of rules (id, message, pattern or analysis), got {raw!r}")
        return ()
    rules = []
    for i, item in enumerate(raw or []):
        keys = set(item) if isinstance(item, dict) else set()
        if not isinstance(item, dict) or not {"id", "message"} <= keys or len(keys & {"pattern", "analysis"}) != 1 \
                or keys - {"id", "message", "pattern", "analysis", "when_forbidden"}:
            problems.append(f"{where}[{i}]: expected id, message and one of pattern or analysis "
                            f"(and optionally when_forbidden), got {item!r}")
            continue
        problems += [f"{where}[{i}].pattern: not a regular expression ({exc}): {item['pattern']!r}"
                     for _, exc in _bad_regexes(item, ("pattern",))]
        rules.append(StaticRule(str(item["id"]), " ".join(str(item["message"]).split()),
                                str(item.get("pattern", "")), str(item.get("analysis", "")),
                                str(item.get("when_forbidden", ""))))
    return tuple(rules)


# LibYAML's parser where PyYAML was built with it (Debian's is): a tenth of the pure-Python one's time, which
# every command pays for each lesson.yaml it reads.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """Read the registry file; any mistake in it is reported with the file and key."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KitError(f"{path}: cannot read the language registry: {exc}") from None
    languages = {}
    problems = []
    for name, entry in raw.items():
        where = f"{path}: {name}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping of settings")
            continue
        missing = [k for k in _REQUIRED if k not in entry]
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if missing:
            problems.append(f"{where}: missing keys {missing}")
        if unknown:
            problems.append(f"{where}: unknown keys {unknown}; allowed: {list(_REQUIRED + _OPTIONAL)}")
        absent = [f"{where}: {key}: no such file {path.parent / entry[key]}" for key in _FILES
                  if entry.get(key) and not (path.parent / entry[key]).is_file()]
        wrong = [f"{where}: {key}: not a regular expression ({exc}): {entry[key]!r}"
                 for key, exc in _bad_regexes(entry, ("out_of_memory", "comments"))]
        rules = _static_rules(entry.get("static_rules"), f"{where}: static_rules", wrong)
        aliases = _aliases(entry, where, wrong)
        problems += absent + wrong
        if missing or unknown or absent or wrong:
            continue
        try:
            languages[name] = Language(
                name=name,
                title=str(entry["title"]),
                folder=str(entry["folder"]),
                extension=str(entry["extension"]),
                lexer=str(entry["lexer"]),
                image=str(entry["image"]),
                offline_image=str(entry["offline_image"]),
                run=tuple(str(p) for p in entry["run"]),
                version=tuple(str(p) for p in entry["version"]),
                build=tuple(str(p) for p in entry.get("build", ())),
                env=tuple((str(k), str(v)) for k, v in (entry.get("env") or {}).items()),
                limits=_limits(entry.get("limits") or {}, Limits(), f"{where}: limits"),
                offline=path.parent / entry["offline"] if entry.get("offline") else None,
                out_of_memory=str(entry.get("out_of_memory", "")),
                comments=str(entry.get("comments", "")),
                static_rules=rules,
                aliases=aliases,
                stub=path.parent / entry["stub"] if entry.get("stub") else None,
                build_script=(path.parent / entry["build_script"]).read_text(encoding="utf-8")
                if entry.get("build_script") else "",
                exit_codes=tuple((int(k), str(v)) for k, v in (entry.get("exit_codes") or {}).items()),
                build_limits=_limits(
                    entry.get("build_limits") or {}, Language.build_limits, f"{where}: build_limits"
                ),
                compiler_server=_compiler_server(entry.get("compiler_server"), f"{where}: compiler_server"),
            )
        except KitError as exc:
            problems.append(str(exc))
    problems += _ambiguous(languages, path)
    if problems:
        raise KitError("the language registry has problems:\n  " + "\n  ".join(problems))
    return Registry(languages)


def bare_version(text: str) -> str:
    """A runtime's version as it says it ('Python 3.13.5', 'v24.21.0') as the bare version ('3.13.5', '24.21.0')."""
    return text.split()[-1].lstrip("v") if text.split() else text


def spoken_names(path: Path = REGISTRY_FILE) -> str:
    """The languages' names as a sentence says them, for help texts: "python, javascript or csharp"."""
    try:
        *most, last = load_registry(path).names or [""]
    except KitError:  # a broken registry is reported when a command loads it
        return "a language of the registry"
    return f"{', '.join(most)} or {last}" if most else last
