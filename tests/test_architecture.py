"""The layers in .importlinter hold, and a new import against them fails the build."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--config", str(tree / ".importlinter")],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path):
    for name in ("newsroom", "comments", "articles"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


def test_the_code_keeps_its_layers(copy_of_the_code):
    result = lint_imports(copy_of_the_code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "named"),
    [
        # The caching layer knows nothing above it.
        ("articles/caching/purge.py", "from articles.models import Article", "articles.models"),
        # The models know nothing of the pages that show them.
        ("articles/models/sections.py", "from articles.public import seo", "articles.public"),
        # Articles never reach up into comments.
        ("articles/public/views.py", "from comments.models import Comment", "comments.models"),
    ],
)
def test_an_import_against_the_layers_fails(copy_of_the_code, module, wrong_import, named):
    path = copy_of_the_code / module
    path.write_text(f"{wrong_import}  # noqa\n{path.read_text()}")
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert named in result.stdout


def test_no_module_imports_itself_through_others():
    """No import circle: each module can be read knowing only what it imports."""
    import grimp

    graph = grimp.build_graph("articles", "comments", "newsroom", cache_dir=None)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    state, path, circles = {}, [], []

    def visit(module):
        state[module] = "open"
        path.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if ".migrations" in imported:
                continue
            if state.get(imported) == "open":
                circles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported not in state:
                visit(imported)
        path.pop()
        state[module] = "done"

    for module in modules:
        if module not in state:
            visit(module)
    assert circles == []


def test_modules_stay_small_and_articles_keeps_its_rooms():
    """A module past 400 lines holds two rooms; new code goes into a package of articles/."""
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for app in ("articles", "comments")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 400
    ]
    assert long == []
    loose = [p.name for p in (ROOT / "articles").glob("*.py") if p.name != "__init__.py"]
    assert len(loose) <= 8, loose
