"""Documentation stays true: every command is in the README and answers --help."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import sitrep
from sitrep.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return sorted(names)


@pytest.mark.parametrize("command", _commands())
def test_docs_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert f"sitrep {command}" in README, f"README does not show `sitrep {command}`"


def test_docs_public_api_is_sorted_and_complete() -> None:
    assert sitrep.__all__ == sorted(sitrep.__all__)
    for name in sitrep.__all__:
        assert hasattr(sitrep, name)
