"""The provider registry: the entry-point group names every provider; settings and --provider read it."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from advisor.llm import registry
from advisor.llm.backend import LLMUnavailableError
from advisor.llm.providers import LocalProvider, OpenAIProvider
from advisor.settings import Settings


@pytest.fixture
def group(monkeypatch):
    """Replace the installed group with the given entry points (real EntryPoint objects, loaded for real)."""

    def use(*points: tuple[str, str]) -> None:
        eps = [EntryPoint(name, value, registry.ENTRY_POINT_GROUP) for name, value in points]
        monkeypatch.setattr(registry, "entry_points", lambda group: eps if group == registry.ENTRY_POINT_GROUP else [])
        registry.providers.cache_clear()

    yield use
    registry.providers.cache_clear()


BUILT_IN = [
    ("local", "advisor.llm.providers:LocalProvider"),
    ("openai", "advisor.llm.providers:OpenAIProvider"),
    ("ollama", "advisor.llm.providers:OllamaProvider"),
]


def test_the_installed_group_holds_the_built_in_providers() -> None:
    registry.providers.cache_clear()
    assert registry.provider_names() == ("none", "local", "ollama", "openai")
    assert isinstance(registry.get_provider("local"), LocalProvider)


def test_settings_refuse_an_unregistered_provider_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="must be one of none, local, ollama, openai, got 'bogus'"):
        Settings(llm_provider="bogus")


def test_labels_and_none(tmp_path) -> None:
    assert registry.backend_name(Settings(data_dir=tmp_path, llm_provider="none")) == "offline"
    assert registry.build_backend(Settings(data_dir=tmp_path, llm_provider="none")) is None
    assert registry.backend_name(Settings(data_dir=tmp_path, llm_provider="local")).startswith("local:Qwen2.5")
    assert registry.backend_name(Settings(data_dir=tmp_path, llm_provider="openai", llm_model="m")) == "openai:m"


def test_a_provider_that_cannot_be_built_says_which_setting_to_fix(tmp_path) -> None:
    with pytest.raises(LLMUnavailableError, match="ADVISOR_LLM_MODEL"):
        OpenAIProvider().build(Settings(data_dir=tmp_path, llm_provider="openai"))


def test_another_package_can_add_a_provider(group) -> None:
    group(*BUILT_IN, ("echo", "tests.advisor.llm.test_llm_registry:EchoProvider"))
    assert "echo" in registry.provider_names()
    assert registry.get_provider("echo").label(Settings(llm_provider="none")) == "echo:default"


def test_a_broken_or_wrong_entry_is_named(group) -> None:
    group(*BUILT_IN, ("gone", "no_such_module.anywhere:Provider"))
    with pytest.raises(registry.RegistryError, match=r"provider 'gone' \(no_such_module.anywhere:Provider\)"):
        registry.providers()
    group(*BUILT_IN, ("wrong", "advisor.llm.providers:LocalProvider"))
    with pytest.raises(registry.RegistryError, match="not a Provider subclass named 'wrong'"):
        registry.providers()


def test_a_missing_group_says_how_to_repair_the_install(group) -> None:
    group()
    with pytest.raises(registry.RegistryError, match="reinstall the package"):
        registry.providers()


class EchoProvider(registry.Provider):
    name = "echo"


def test_the_local_provider_takes_its_threads_from_settings(tmp_path) -> None:
    from advisor.llm.local_backend import LocalLlamaBackend

    pinned = LocalProvider().build(Settings(data_dir=tmp_path, llm_threads=1))
    default = LocalProvider().build(Settings(data_dir=tmp_path))
    assert isinstance(pinned, LocalLlamaBackend) and isinstance(default, LocalLlamaBackend)
    assert pinned.threads == 1
    assert default.threads >= 1
    with pytest.raises(ValueError):
        Settings(data_dir=tmp_path, llm_threads=0)
