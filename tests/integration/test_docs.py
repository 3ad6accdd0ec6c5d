"""Every command explains itself (--help) and has its section in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.cli.app import app
from kith.ingest.coverage import SOURCE_VIEWS

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)


def test_the_command_list_is_complete():
    for name in (
        "init",
        "demo",
        "add",
        "edit",
        "log",
        "remember",
        "people",
        "show",
        "today",
        "focus",
        "invite",
        "respond",
        "merge",
        "forget",
        "rules",
    ):
        assert name in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_docs_section(name):
    command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
    assert command.callback.__doc__, f"kith {name} has no help text"
    assert f"## kith {name}\n" in (ROOT / "docs" / "cli.md").read_text()


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("pip install . && kith demo")
    assert lines[1].startswith("bash scripts/test.sh")
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("source", sorted(SOURCE_VIEWS))
def test_every_source_says_what_it_can_and_cannot_see(source):
    page = (ROOT / "docs" / f"import-{source}.md").read_text()
    assert "## What it can and cannot see\n" in page
    table = (ROOT / "docs" / "path.md").read_text().split("## What each source can see")[1]
    first_word = SOURCE_VIEWS[source].label.removeprefix("your ").split()[0]
    assert first_word.lower() in table.lower()
    assert "What each source can see" in (ROOT / "README.md").read_text()


def test_the_docs_the_code_cites_exist_with_the_sections_it_names():
    import re

    cited = re.compile(r'docs/([a-z-]+\.md)(?:, ((?:"[^"]+"(?: and | to )?)+))?')
    for path in sorted((ROOT / "src").rglob("*.py")):
        for page, sections in cited.findall(path.read_text()):
            doc = ROOT / "docs" / page
            assert doc.exists(), (path, page)
            headings = {
                line[3:].strip() for line in doc.read_text().splitlines() if line[:3] == "## "
            }
            for section in re.findall(r'"([^"]+)"', sections):
                assert section in headings, (path, page, section)
    assert "DESIGN" not in "".join(p.read_text() for p in (ROOT / "src").rglob("*.py"))
