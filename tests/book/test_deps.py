"""Which library modules a chapter depends on (static import analysis, no execution)."""

from pathlib import Path

import eigenbook
import pytest
from eigenbook.book.deps import Library, chapter_modules, imported_modules


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def lib(tmp_path):
    """A tiny eigenbook: a module family, a package family, a floor, a sub-package."""
    return Library(write(tmp_path / "lib", {
        "eigenbook/__init__.py": '"""top"""\n',
        "eigenbook/_checks.py": "import numpy as np\n",
        "eigenbook/claims.py": "import json\n",
        "eigenbook/flat.py": "from . import _checks\n",                    # a module family
        "eigenbook/pkg/__init__.py": "from ._a import f as f\nfrom .sub import g\n",
        "eigenbook/pkg/_a.py": "from .. import _checks\nfrom ..flat import x\n",
        "eigenbook/pkg/sub/__init__.py": "from ._deep import g\n",
        "eigenbook/pkg/sub/_deep.py": "from ...claims import Recorder\n",
        "eigenbook/pkg/table.json": "{}",                                  # package data
        "eigenbook/lone.py": "import os\n",
        "eigenbook/broken.py": "def (:\n",
    }))


def test_imported_modules_resolves_relative_imports():
    code = "from . import a, b\nfrom ..c import d\nfrom .e import *\nimport x.y as z\n"
    assert imported_modules(code, module="p.q.mod") == {
        "p.q", "p.q.a", "p.q.b", "p.c", "p.c.d", "p.q.e", "x.y"}
    # in a package's __init__, "." is the package itself
    assert imported_modules("from ._a import f", module="p.q", is_package=True) == {
        "p.q._a", "p.q._a.f"}
    assert imported_modules("from .... import a", module="p.q.mod") == set()  # beyond top
    with pytest.raises(SyntaxError):
        imported_modules("def (:")


def test_library_finds_modules_and_packages(lib):
    assert lib.module_of("eigenbook.flat").path.name == "flat.py"
    pkg = lib.module_of("eigenbook.pkg")
    assert pkg.is_package and pkg.path.name == "__init__.py"
    assert lib.module_of("eigenbook.pkg.sub._deep") is not None
    assert lib.module_of("eigenbook.nosuch") is None
    assert Library(lib.root / "nowhere").modules == {}


def test_closure_is_transitive_through_packages_and_parents(lib):
    assert lib.closure(lib.expand(["eigenbook.flat"])) == {
        "eigenbook", "eigenbook.flat", "eigenbook._checks"}
    # importing a submodule runs its parent packages' __init__, which import the rest
    assert lib.closure(lib.expand(["eigenbook.pkg.sub._deep"])) == {
        "eigenbook", "eigenbook.pkg", "eigenbook.pkg._a", "eigenbook.pkg.sub",
        "eigenbook.pkg.sub._deep", "eigenbook._checks", "eigenbook.flat", "eigenbook.claims"}
    assert lib.expand(["numpy", "eigenbookish", "eigenbook.pkg.f"]) == {
        "eigenbook", "eigenbook.pkg"}
    files = lib.files(["eigenbook.pkg"])
    assert [p.name for p in files] == ["__init__.py", "table.json"]


def test_a_module_that_does_not_parse_means_everything(lib):
    assert lib.closure(["eigenbook.broken"]) == set(lib.modules)


def chapter(tmp_path, code: str, helper: str | None = None) -> Path:
    files = {"ch/ch.md": "---\njupytext:\n  text_representation:\n    extension: .md\n"
             "    format_name: myst\n---\n\n# T\n\n```{code-cell} ipython3\n" + code + "\n```\n"}
    if helper is not None:
        files["ch/helper.py"] = helper
    return write(tmp_path, files) / "ch" / "ch.md"


def test_chapter_modules(tmp_path, lib):
    src = chapter(tmp_path, "%matplotlib inline\n!ls\nfrom eigenbook import flat\n"
                  "import numpy as np")
    assert chapter_modules(src, lib) == {"eigenbook", "eigenbook.flat", "eigenbook._checks"}
    # a .py file beside the chapter counts (the chapter runs in its folder)
    src = chapter(tmp_path, "import helper", helper="from eigenbook.claims import Recorder\n")
    assert chapter_modules(src, lib) == {"eigenbook", "eigenbook.claims"}
    # a cell that does not parse: depend on everything rather than miss a module
    src = chapter(tmp_path, "from eigenbook import flat\nif True print(1)")
    assert chapter_modules(src, lib) == set(lib.modules)


def test_the_real_library_resolves():
    real = Library(Path(eigenbook.__file__).parent.parent)
    assert real.module_of("eigenbook.eigen").is_package
    closure = real.closure(real.expand(["eigenbook.lowrank"]))
    assert {"eigenbook", "eigenbook.lowrank", "eigenbook._checks"} <= closure
    assert not any(m.startswith(("eigenbook.book", "eigenbook.ssm")) for m in closure)
