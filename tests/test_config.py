"""Settings layers, provenance, per-module overrides and configuration errors, on real files."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfheal import config
from selfheal.errors import ConfigurationError


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project directory as the working directory, with no SELFHEAL_* variables."""
    for var in list(os.environ):
        if var.startswith("SELFHEAL_"):
            monkeypatch.delenv(var)
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    config.reset()
    yield root
    config.reset()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_defaults_when_nothing_is_configured(project: Path) -> None:
    settings = config.get_settings()
    assert settings == config.Settings()
    assert settings.mode == "heal"
    assert settings.engine == "offline"
    assert set(config.get_sources().values()) == {"default"}
    assert config.load().file is None


def test_pyproject_is_found_walking_up_from_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = write(
        project / "pyproject.toml",
        """
        [project]
        name = "demo"

        [tool.selfheal]
        mode = "propose"
        include = ["myapp.*"]
        budget_s = 3
        """,
    )
    # A pyproject.toml without a [tool.selfheal] table on the way up does not count.
    write(project / "sub" / "pyproject.toml", "[project]\nname = 'inner'\n")
    deep = project / "sub" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    config.reset()

    settings = config.get_settings()
    assert settings.mode == "propose"
    assert settings.include == ("myapp.*",)
    assert settings.budget_s == 3.0
    sources = config.get_sources()
    assert sources["mode"] == f"{pyproject} [tool.selfheal]"
    assert sources["engine"] == "default"
    assert config.load().file == pyproject


def test_selfheal_toml_wins_over_pyproject_in_the_same_directory(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.selfheal]\nmode = "observe"\n')
    dedicated = write(project / "selfheal.toml", 'mode = "propose"\n')
    assert config.get_settings().mode == "propose"
    assert config.get_sources()["mode"] == str(dedicated)


def test_the_nearest_directory_wins_whatever_the_file_kind(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "selfheal.toml", 'mode = "propose"\n')
    write(project / "app" / "pyproject.toml", '[tool.selfheal]\nmode = "observe"\n')
    monkeypatch.chdir(project / "app")
    config.reset()
    assert config.get_settings().mode == "observe"


def test_selfheal_config_names_the_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "selfheal.toml", 'mode = "propose"\n')
    elsewhere = write(
        project.parent / "ci" / "pyproject.toml", '[tool.selfheal]\nmode = "observe"\n'
    )
    monkeypatch.setenv("SELFHEAL_CONFIG", str(elsewhere))
    config.reset()
    assert config.get_settings().mode == "observe"

    monkeypatch.setenv("SELFHEAL_CONFIG", str(project / "missing.toml"))
    config.reset()
    with pytest.raises(ConfigurationError, match=r"SELFHEAL_CONFIG=.*missing\.toml: no such file"):
        config.get_settings()


def test_every_layer_overrides_the_one_below_and_provenance_follows(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = write(
        project / "pyproject.toml",
        """
        [tool.selfheal]
        mode = "observe"
        engine = "offline,anthropic"
        budget_s = 5
        store = "from-file"
        """,
    )
    monkeypatch.setenv("SELFHEAL_ENGINE", "openai")
    monkeypatch.setenv("SELFHEAL_BUDGET_S", "7.5")
    monkeypatch.setenv("SELFHEAL_STORE", "from-env")
    config.reset()
    config.configure(store="from-configure")

    settings = config.get_settings()
    assert (settings.mode, settings.engine, settings.budget_s, settings.store) == (
        "observe",
        "openai",
        7.5,
        "from-configure",
    )
    assert settings.max_candidates == 500
    sources = config.get_sources()
    assert sources["mode"] == f"{pyproject} [tool.selfheal]"
    assert sources["engine"] == "environment variable SELFHEAL_ENGINE"
    assert sources["budget_s"] == "environment variable SELFHEAL_BUDGET_S"
    assert sources["store"] == "configure()"
    assert sources["max_candidates"] == "default"

    # configure() calls accumulate; reset() forgets them and re-reads the lower layers.
    config.configure(mode="propose")
    assert config.get_settings().store == "from-configure"
    assert config.get_settings().mode == "propose"
    config.reset()
    assert config.get_settings().store == "from-env"
    assert config.get_settings().mode == "observe"


def test_environment_values_are_parsed_per_type(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFHEAL_INCLUDE", "myapp.*, other ,")
    monkeypatch.setenv("SELFHEAL_ALLOW_GUESSES", "yes")
    monkeypatch.setenv("SELFHEAL_RECORD", "0")
    monkeypatch.setenv("SELFHEAL_MAX_TURNS", "5")
    monkeypatch.setenv("SELFHEAL_OPENAI_BASE_URL", "")
    monkeypatch.setenv("SELFHEAL_WHILE_HEALING", "fallback")
    monkeypatch.setenv("SELFHEAL_TYPO", "1")
    config.reset()
    settings = config.get_settings()
    assert settings.include == ("myapp.*", "other")
    assert settings.allow_guesses is True
    assert settings.record is False
    assert settings.max_turns == 5
    assert settings.openai_base_url is None
    assert settings.while_healing == "fallback"
    # Unknown variables are reported, not fatal: other tools share the prefix.
    assert config.load().ignored_env == ("SELFHEAL_TYPO",)


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_selfheal_disabled_turns_everything_off(
    project: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SELFHEAL_DISABLED", value)
    config.reset()
    assert config.get_settings().disabled is True
    assert config.settings_for_module("anything").disabled is True


def test_per_module_tables_from_the_file(project: Path) -> None:
    write(
        project / "pyproject.toml",
        """
        [tool.selfheal]
        mode = "heal"

        [tool.selfheal.modules."myapp"]
        mode = "observe"
        budget_s = 2

        [tool.selfheal.modules."myapp.billing"]
        mode = "propose"

        [tool.selfheal.modules."myapp.*.models"]
        mode = "approved"
        """,
    )
    assert config.settings_for_module("other").mode == "heal"
    assert config.settings_for_module("myapp").mode == "observe"
    assert config.settings_for_module("myapp.orders").mode == "observe"
    billing = config.settings_for_module("myapp.billing.tax")
    assert billing.mode == "propose"
    assert billing.budget_s == 2.0  # inherited from the less specific "myapp" table
    assert config.settings_for_module("myapp.shop.models").mode == "approved"
    assert config.settings_for_module("myappx").mode == "heal"


def test_configure_overrides_one_module_table_without_restating_the_others(
    project: Path,
) -> None:
    pyproject = write(
        project / "pyproject.toml",
        """
        [tool.selfheal.modules."a"]
        mode = "observe"
        [tool.selfheal.modules."b"]
        mode = "observe"
        """,
    )
    assert config.settings_for_module("a").mode == "observe"
    config.configure(modules={"a": {"mode": "propose"}})
    assert config.settings_for_module("a").mode == "propose"
    assert config.settings_for_module("b").mode == "observe"
    sources = config.get_sources()
    assert sources["modules.a"] == "configure()"
    assert sources["modules.b"] == f"{pyproject} [tool.selfheal]"


def test_a_bad_value_in_the_file_names_key_file_and_allowed_values(project: Path) -> None:
    pyproject = write(project / "pyproject.toml", '[tool.selfheal]\nmode = "fast"\n')
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert "mode" in message
    assert f"{pyproject} [tool.selfheal]" in message
    assert "allowed: observe | propose | heal | approved" in message
    assert "'fast'" in message
    assert "\n" not in message  # one problem, one line


def test_a_bad_environment_variable_is_named(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFHEAL_BUDGET_S", "-3")
    monkeypatch.setenv("SELFHEAL_ENGINE", "gpt")
    config.reset()
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert "budget_s in environment variable SELFHEAL_BUDGET_S" in message
    assert "allowed: a number > 0" in message
    assert "engine in environment variable SELFHEAL_ENGINE" in message
    assert "offline, anthropic, openai" in message


def test_an_unknown_key_suggests_the_right_one(project: Path) -> None:
    selfheal_toml = write(project / "selfheal.toml", 'mdoe = "heal"\n')
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert f"mdoe in {selfheal_toml}: unknown key (did you mean 'mode'?)" in message


def test_a_bad_module_table_is_reported_at_load_not_at_first_use(project: Path) -> None:
    pyproject = write(
        project / "pyproject.toml",
        """
        [tool.selfheal.modules."myapp.billing"]
        mode = "sometimes"
        include = ["x"]
        """,
    )
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert f'modules."myapp.billing".include in {pyproject} [tool.selfheal]' in message
    assert "cannot be set per module" in message


def test_a_bad_value_in_a_module_table_names_the_table(project: Path) -> None:
    pyproject = write(
        project / "pyproject.toml", '[tool.selfheal.modules."myapp.billing"]\nmode = "x"\n'
    )
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    message = str(info.value)
    assert f'modules."myapp.billing".mode in {pyproject} [tool.selfheal]' in message
    assert "allowed: observe | propose | heal | approved" in message


def test_an_unquoted_dotted_module_name_gets_a_hint(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.selfheal.modules.myapp.billing]\nmode = "propose"\n')
    with pytest.raises(ConfigurationError) as info:
        config.get_settings()
    assert '[tool.selfheal.modules."myapp.billing"]' in str(info.value)


def test_invalid_toml_names_the_file(project: Path) -> None:
    selfheal_toml = write(project / "selfheal.toml", "mode = \n")
    with pytest.raises(ConfigurationError, match=f"{selfheal_toml} is not valid TOML"):
        config.get_settings()


def test_a_broken_pyproject_that_mentions_selfheal_is_reported(project: Path) -> None:
    pyproject = write(project / "pyproject.toml", "[tool.selfheal\nmode = 1\n")
    with pytest.raises(ConfigurationError, match=f"{pyproject} is not valid TOML"):
        config.get_settings()


def test_a_rejected_configure_call_changes_nothing(project: Path) -> None:
    config.configure(mode="observe")
    with pytest.raises(ConfigurationError, match=r"temperature in configure\(\)"):
        config.configure(mode="propose", temperature=9)
    assert config.get_settings().mode == "observe"
    assert config.get_settings().temperature is None


def test_settings_for_module_follows_configure(project: Path) -> None:
    config.configure(modules={"app": {"mode": "observe"}})
    assert config.settings_for_module("app.x").mode == "observe"
    config.configure(modules={"app": {"mode": "propose"}})
    assert config.settings_for_module("app.x").mode == "propose"


def test_settings_built_directly_still_check_module_tables() -> None:
    with pytest.raises(ValueError, match="cannot be set per module"):
        config.Settings(modules={"a": {"modules": {}}})


def test_the_reference_in_the_docs_is_up_to_date() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
    text = docs.read_text(encoding="utf-8")
    assert config.reference_markdown() in text, (
        "docs/configuration.md is stale: regenerate the table with `selfheal config --markdown`"
    )
