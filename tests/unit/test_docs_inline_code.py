"""The guides show their code inline, and it is exactly the code the tests execute.

The plugin tutorial and the property-testing guide read as plain Markdown (on a code
forge, in an editor): each code block is written out in the page. An HTML comment
before the block names the file it comes from and which part, and this test holds the
two equal, so the page can never drift from the example plugin and the guide's test
file, which are executed (``examples/plugins/umkm-kriya/tests``,
``tests/properties/test_guide_own_rule.py``).

The comment reads ``<!-- code: PATH [pyobject=NAME | start-at=TEXT | start-after=TEXT]
[end-before=TEXT] -->``, PATH relative to the repository; TEXT is taken up to the next
`` key=`` or the end of the comment.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["docs/tutorial-kriya.md", "docs/property-testing.md"]

_BLOCK = re.compile(
    r"<!-- code: (?P<path>\S+)(?P<spec>.*?) -->\n```(?P<lang>\w+)\n(?P<code>.*?)```", re.S
)
_OPTION = re.compile(r"\s(pyobject|start-at|start-after|end-before)=(.*?)(?=\s\w[\w-]*=|$)")


def extract(path: str, spec: str) -> str:
    """The part of ``path`` that ``spec`` names (as Sphinx's literalinclude would)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    options = dict(_OPTION.findall(spec))
    if "pyobject" in options:
        tree = ast.parse(text)
        (node,) = [
            n
            for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == options["pyobject"]
        ]
        lines = text.splitlines(keepends=True)
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        assert node.end_lineno is not None
        return "".join(lines[first - 1 : node.end_lineno])
    if "start-at" in options:
        text = text[text.index(options["start-at"]) :]
    if "start-after" in options:
        marker = options["start-after"]
        text = text[text.index(marker) + len(marker) :].split("\n", 1)[1]
    if "end-before" in options:
        text = text[: text.index(options["end-before"])]
        text = text[: text.rfind("\n") + 1] if not text.endswith("\n") else text
    return text.rstrip("\n") + "\n"


def _blocks(page: str) -> list[tuple[str, str, str]]:
    markdown = (ROOT / page).read_text(encoding="utf-8")
    return [(m["path"], m["spec"], m["code"]) for m in _BLOCK.finditer(markdown)]


@pytest.mark.parametrize("page", PAGES)
def test_the_guide_shows_its_code_inline_rather_than_including_it(page: str) -> None:
    markdown = (ROOT / page).read_text(encoding="utf-8")
    assert "literalinclude" not in markdown
    assert len(_blocks(page)) >= 2


@pytest.mark.parametrize(
    ("page", "index"),
    [(page, i) for page in PAGES for i in range(len(_blocks(page)))],
)
def test_inline_code_equals_the_executed_file(page: str, index: int) -> None:
    path, spec, code = _blocks(page)[index]
    assert code == extract(path, spec), f"{page}: block {index} differs from {path}{spec}"
