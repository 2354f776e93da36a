"""`selfheal config`: every effective value with the layer it came from."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from selfheal import config
from selfheal.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in list(os.environ):
        if var.startswith("SELFHEAL_"):
            monkeypatch.delenv(var)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.selfheal]
            mode = "propose"
            include = ["myapp.*"]

            [tool.selfheal.modules."myapp.billing"]
            mode = "observe"
            budget_s = 1.5
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFHEAL_ENGINE", "offline,openai")
    monkeypatch.setenv("SELFHEAL_MDOE", "heal")
    config.reset()
    return tmp_path


def lines_by_key(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, rest = line.partition(" = ")
        out[key.strip()] = rest
    return out


def test_text_output_shows_value_and_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    rows = lines_by_key(out)
    pyproject = project / "pyproject.toml"
    assert rows["mode"] == f'"propose"  # {pyproject} [tool.selfheal]'
    assert rows["engine"] == '"offline,openai"  # environment variable SELFHEAL_ENGINE'
    assert rows["budget_s"] == "10.0  # default"
    assert rows['modules."myapp.billing"'].startswith('{"mode": "observe", "budget_s": 1.5}')
    assert f"# configuration file: {pyproject}" in out
    # A misspelt variable is visible instead of silently ignored.
    assert "# ignored: environment variable SELFHEAL_MDOE is not a setting" in out


def test_global_store_option_is_a_command_line_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", "elsewhere", "config"]) == 0
    rows = lines_by_key(capsys.readouterr().out)
    assert rows["store"] == '"elsewhere"  # command line'


def test_module_option_applies_the_module_tables(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "--module", "myapp.billing.tax", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    settings = document["settings"]
    assert settings["mode"]["value"] == "observe"
    assert settings["mode"]["source"].startswith('modules."myapp.billing" in ')
    assert settings["budget_s"]["value"] == 1.5
    assert settings["engine"]["value"] == "offline,openai"
    assert document["module"] == "myapp.billing.tax"
    assert document["ignored_environment"] == ["SELFHEAL_MDOE"]

    assert main(["config", "--module", "other", "--json"]) == 0
    other = json.loads(capsys.readouterr().out)["settings"]
    assert other["mode"]["value"] == "propose"


def test_json_output_has_every_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document["settings"]) == set(config.Settings.model_fields)
    assert document["file"] == str(project / "pyproject.toml")
    assert document["settings"]["include"] == {
        "value": ["myapp.*"],
        "source": f"{project / 'pyproject.toml'} [tool.selfheal]",
    }


def test_markdown_prints_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--markdown"]) == 0
    assert capsys.readouterr().out == config.reference_markdown()


def test_a_bad_configuration_is_one_message_and_exit_code_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFHEAL_WHILE_HEALING", "panic")
    config.reset()
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("selfheal: invalid selfheal setting: while_healing in environment "
                          "variable SELFHEAL_WHILE_HEALING")
    assert "allowed: wait | fallback" in err
    assert "Traceback" not in err
