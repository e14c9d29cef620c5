import pytest

from advisor.settings import Settings, SettingsError


def test_env_prefix_and_paths(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    s = Settings()
    assert s.data_dir == tmp_path
    assert s.index_dir == tmp_path / "index"


def test_missing_api_key_names_the_variable(monkeypatch) -> None:
    monkeypatch.delenv("MY_KEY", raising=False)
    s = Settings(llm_provider="openai", llm_api_key_env="MY_KEY")
    with pytest.raises(SettingsError, match="MY_KEY"):
        s.llm_api_key()


def test_chroma_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="ADVISOR_CHROMA_URL"):
        Settings(chroma_url="localhost:8000")
