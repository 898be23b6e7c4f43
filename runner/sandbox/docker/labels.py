"""The labels on what the kit starts on the engine (containers, volumes, images): every container and
volume names the kit, its run, lesson, language and owner (from the run's context) and its phase."""
from __future__ import annotations

from runner.sandbox.run_context import RunContext

KIT_LABEL = "org.async-rosetta.kit"
RECIPE_LABEL = "org.async-rosetta.recipe"  # on an offline image: the digest of what it was built from
PHASE_LABEL = "org.async-rosetta.phase"  # copy, build, run, warm or service
RUN_LABEL = "org.async-rosetta.run"
LESSON_LABEL = "org.async-rosetta.lesson"
LANGUAGE_LABEL = "org.async-rosetta.language"
OWNER_LABEL = "org.async-rosetta.owner"
KIT = "async-rosetta"


def labels(context: RunContext, phase: str | None = None) -> dict[str, str]:
    """The labels of a container or volume started for a run's context, in a phase (none on a volume)."""
    found = {KIT_LABEL: KIT, RUN_LABEL: context.run_id, OWNER_LABEL: context.owner,
             LESSON_LABEL: context.lesson, LANGUAGE_LABEL: context.language, PHASE_LABEL: phase}
    return {key: value for key, value in found.items() if value is not None}
