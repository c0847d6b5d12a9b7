"""Which library modules a chapter depends on: its ``eigenbook`` imports, transitively.

A chapter's content hash covers only the library modules it can execute, so
that editing one family re-executes only the chapters that import it. The
modules are found statically, with :mod:`ast`:

1. the chapter's code cells (and any ``.py`` file in its folder) are parsed
   for ``import eigenbook...`` and ``from eigenbook... import ...``;
2. every library module found is parsed in turn for its own ``eigenbook``
   imports, absolute or relative (``from . import _checks``,
   ``from ..eigen._operators import X``), until nothing new is found.

Importing ``a.b.c`` runs the ``__init__`` of ``a`` and ``a.b``, so parent
packages always count; ``from a.b import c`` counts the submodule ``a.b.c``
when there is one (otherwise ``c`` is a name defined in ``a.b``). A package
also brings its data files (non-Python files in its folder). A module works
the same whether it is a file (``ssm.py``) or a package (``ssm/__init__.py``).

When in doubt the answer is larger, never smaller: a code cell or module that
does not parse makes the chapter depend on the whole library. Imports built
at run time (``importlib.import_module(name)``) are not seen.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

PACKAGE = "eigenbook"
MAGIC = re.compile(r"^\s*[%!]")  # IPython magics and shell escapes are not Python


class Module(NamedTuple):
    """One library module: its dotted name, its file, whether it is a package."""

    name: str
    path: Path
    is_package: bool


class Library:
    """The modules of the package ``eigenbook`` found under ``lib_root``.

    Parameters
    ----------
    lib_root : Path
        The folder holding the ``eigenbook`` package (``<project>/lib``).
    """

    def __init__(self, lib_root: str | Path, package: str = PACKAGE):
        self.root = Path(lib_root)
        self.package = package
        self.modules: dict[str, Module] = {}
        self._imports: dict[str, set[str]] = {}  # module -> library modules it imports
        base = self.root / package
        if not (base / "__init__.py").is_file():
            return
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(self.root)
            if "__pycache__" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            self.modules[".".join(parts)] = Module(".".join(parts), path, is_package)

    def module_of(self, name: str) -> Module | None:
        """The module or package named ``name`` (``"eigenbook.ssm"``), if it exists."""
        return self.modules.get(name)

    def files(self, names: Iterable[str]) -> list[Path]:
        """The files of the modules ``names``, plus each package's data files, sorted."""
        out: set[Path] = set()
        for name in names:
            mod = self.modules[name]
            out.add(mod.path)
            if mod.is_package:
                out.update(p for p in mod.path.parent.iterdir()
                           if p.is_file() and p.suffix not in (".py", ".pyc"))
        return sorted(out)

    def closure(self, roots: Iterable[str]) -> set[str]:
        """Every library module executed when the modules ``roots`` are imported."""
        seen: set[str] = set()
        todo = [n for n in roots if n in self.modules]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(self._imports_of(name) - seen)
        return seen

    def _imports_of(self, name: str) -> set[str]:
        if name not in self._imports:
            mod = self.modules[name]
            try:
                found = imported_modules(mod.path.read_text(), module=name,
                                         is_package=mod.is_package)
            except SyntaxError:
                found = set(self.modules)  # cannot tell: depend on everything
            self._imports[name] = self.expand(found)
        return self._imports[name]

    def expand(self, names: Iterable[str]) -> set[str]:
        """Library modules among ``names`` and their parent packages (which run first)."""
        out = set()
        for name in names:
            if not (name == self.package or name.startswith(self.package + ".")):
                continue
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in self.modules:
                    out.add(prefix)
        return out


def imported_modules(code: str, *, module: str | None = None,
                     is_package: bool = False) -> set[str]:
    """Dotted names that ``code`` may import as modules (absolute, relative resolved).

    ``from a import b`` yields both ``a`` and ``a.b`` (``b`` may be a
    submodule); callers keep the names that exist. ``module`` and
    ``is_package`` say where ``code`` lives, to resolve relative imports.

    Raises
    ------
    SyntaxError
        When ``code`` does not parse.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            if base is None:
                continue
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def _absolute(node: ast.ImportFrom, module: str | None, is_package: bool) -> str | None:
    if node.level == 0:
        return node.module
    if module is None:
        return None  # a relative import outside a package
    package = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 > len(package) - 1:
        return None  # beyond the top-level package: Python raises ImportError
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def chapter_code(source: Path) -> list[str]:
    """The Python code a chapter runs: its code cells and the ``.py`` files beside it."""
    import jupytext

    nb = jupytext.read(source)
    cells = ["\n".join("" if MAGIC.match(line) else line for line in cell.source.splitlines())
             for cell in nb.cells if cell.cell_type == "code"]
    helpers = [p.read_text() for p in sorted(source.parent.rglob("*.py"))
               if "__pycache__" not in p.parts]
    return cells + helpers


def chapter_modules(source: Path, library: Library) -> set[str]:
    """Every library module a chapter executes (see the module docstring)."""
    roots: set[str] = set()
    for code in chapter_code(source):
        try:
            roots |= imported_modules(code)
        except SyntaxError:
            return set(library.modules)  # cannot tell: depend on everything
    return library.closure(library.expand(roots))
