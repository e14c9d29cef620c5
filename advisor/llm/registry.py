"""Which providers exist: the ``scaling_advisor.llm_providers`` entry-point group, read once.

Each entry point names a ``Provider`` subclass (``advisor.llm.providers``); its name is the value of
``ADVISOR_LLM_PROVIDER`` and of every ``--provider`` option. ``none`` is not a provider: it means no model
(the offline composer writes every answer). To add one, register a class in your package's metadata::

    [project.entry-points."scaling_advisor.llm_providers"]
    mine = "my_package.provider:MyProvider"
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from advisor.llm.backend import ChatBackend, LLMUnavailableError
from advisor.llm.providers import Provider

if TYPE_CHECKING:
    from advisor.settings import Settings

ENTRY_POINT_GROUP = "scaling_advisor.llm_providers"
NO_MODEL = "none"
BUILT_IN = ("local", "openai", "ollama")


class RegistryError(RuntimeError):
    """The provider group is missing or an entry is broken: the message says how to repair the install."""


@lru_cache(maxsize=1)
def providers() -> dict[str, Provider]:
    """Load every registered provider class, by name (cached for the process)."""
    found: dict[str, Provider] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # one broken plugin must not take the others down
            raise RegistryError(f"provider {ep.name!r} ({ep.value}) cannot be loaded: {exc}") from exc
        if not (isinstance(cls, type) and issubclass(cls, Provider)) or cls.name != ep.name:
            raise RegistryError(f"provider {ep.name!r} ({ep.value}) is not a Provider subclass named {ep.name!r}")
        found[ep.name] = cls()
    missing = [name for name in BUILT_IN if name not in found]
    if missing:
        raise RegistryError(
            f"the built-in providers {', '.join(missing)} are not registered (group {ENTRY_POINT_GROUP}): "
            "reinstall the package (pip install -e .)"
        )
    return found


def provider_names() -> tuple[str, ...]:
    """``none`` first, then every registered provider: the choices of ``--provider``."""
    return (NO_MODEL, *sorted(providers()))


def get_provider(name: str) -> Provider:
    try:
        return providers()[name]
    except KeyError as exc:
        raise LLMUnavailableError(
            f"unknown llm_provider {name!r}: choose one of {', '.join(provider_names())}"
        ) from exc


def build_backend(settings: Settings) -> ChatBackend | None:
    """Return the configured backend, or None for ``llm_provider=none``."""
    if settings.llm_provider == NO_MODEL:
        return None
    return get_provider(settings.llm_provider).build(settings)


def backend_name(settings: Settings) -> str:
    """Return the label answers carry in ``Answer.backend`` (``offline`` without a model)."""
    if settings.llm_provider == NO_MODEL:
        return "offline"
    return get_provider(settings.llm_provider).label(settings)
