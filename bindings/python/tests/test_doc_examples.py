"""The documentation's Python examples run (issue 15 items 9 and 13).

Every ``python`` block of bindings/python/README.md runs with the names
doc_examples.GIVEN gives it, then doc_examples.CHECKS asserts what it
computed; docs/QUICKSTART.md's Python program runs as it is and must print
what its comments say. test_typing.py type-checks the same programs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import doc_examples
from doc_examples import CHECKS, GIVEN, Example, printed_in_comments, quickstart_example, readme_examples

README_KEYS = [e.key for e in readme_examples()]


def test_every_readme_block_is_checked() -> None:
    assert len(README_KEYS) >= 5 and len(set(README_KEYS)) == len(README_KEYS)
    missing = [k for k in README_KEYS if k not in CHECKS]
    assert not missing, f"README python blocks without checks in doc_examples.CHECKS: {missing}"
    stale = sorted((set(GIVEN) | set(CHECKS)) - set(README_KEYS))
    assert not stale, f"doc_examples names README sections that have no python block: {stale}"


@pytest.mark.parametrize("key", README_KEYS)
def test_readme_example_runs(key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = next(e for e in readme_examples() if e.key == key)
    monkeypatch.chdir(tmp_path)
    example.run()


def test_quickstart_runs_and_prints_what_its_comments_say(capsys: pytest.CaptureFixture[str]) -> None:
    example = quickstart_example()
    assert not example.given, "the quickstart is a complete program"
    example.run()
    printed = capsys.readouterr().out.splitlines()
    expected = printed_in_comments(example)
    assert len(expected) == 3, "one commented print per job: validate, merge, target"
    assert printed == expected


def test_quickstart_installs_the_wheel_dist_python_writes() -> None:
    section = doc_examples.QUICKSTART.read_text().split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    version = re.search(r'^version = "(.+)"', (doc_examples.README.parent / "pyproject.toml").read_text(), re.M)
    assert version, "pyproject.toml has no version"
    # the name make dist-python gives the wheel (binding.mk, dist.sh): peat-<v>-py3-none-manylinux2014_<arch>.whl
    assert f"pip install build/dist/peat-{version[1]}-py3-none-manylinux2014_$(uname -m).whl" in section


def test_a_failing_example_points_at_its_doc_line(tmp_path: Path) -> None:
    # the harness itself: a wrong block fails at the doc's line, not silently
    broken = Example("broken", doc_examples.README, 40, "x = 1\nassert x == 2\n")
    with pytest.raises(AssertionError) as exc:
        broken.run()
    tb = exc.traceback[-1]
    assert Path(str(tb.path)).name == "README.md" and tb.lineno + 1 == 41
    assert broken.source().splitlines()[40] == "assert x == 2"
