"""Where things are: the project root, its chapters, and the per-scale build tree.

Layout of the build tree (nothing is ever written into ``chapters/``)::

    _build/<run>/executed/<slug>.ipynb   executed notebook (what the site renders)
    _build/<run>/metrics/<slug>.json     the chapter's metrics.json
    _build/<run>/stamps/<slug>.json      hashed inputs of the last successful run
    _build/<run>/failed/<slug>.ipynb     the partially executed notebook of a failure
    _build/<run>/book/                   staged Jupyter Book source
    _build/<run>/html/                   the rendered site

where ``<run>`` is the scale (``ci`` or ``full``), or ``<scale>-seed<N>`` for a
seed other than 0, so that runs never invalidate each other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .deps import Library, chapter_modules

SCALES = ("ci", "full")
LOCK_FILE = "requirements/lock.txt"


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``chapters/<slug>/<name>.md`` with ``slug = NN_name``."""

    slug: str
    folder: Path

    @property
    def source(self) -> Path:
        return self.folder / f"{self.slug.split('_', 1)[1]}.md"

    @property
    def docname(self) -> str:
        """Path of the page inside the book, without suffix (as in ``_toc.yml``)."""
        return f"chapters/{self.slug}/{self.source.stem}"


class Project:
    """The book project rooted at ``root`` (the folder holding ``_toc.yml``)."""

    def __init__(self, root: str | Path = "."):
        self.root = Path(root).resolve()
        if not (self.root / "_toc.yml").is_file():
            raise FileNotFoundError(
                f"{self.root} is not an Eigenbook project (no _toc.yml); "
                "run from the repository root or pass --root.")

    # -- chapters ----------------------------------------------------------
    def chapters(self) -> list[Chapter]:
        """All chapters, in slug order."""
        found = []
        for folder in sorted((self.root / "chapters").glob("[0-9][0-9]_*")):
            ch = Chapter(folder.name, folder)
            if folder.is_dir() and ch.source.is_file():
                found.append(ch)
        return found

    def select(self, only: list[str] | None) -> list[Chapter]:
        """The chapters named in ``only`` (all when empty); unknown names raise."""
        chapters = self.chapters()
        if not only:
            return chapters
        by_slug = {c.slug: c for c in chapters}
        unknown = [s for s in only if s not in by_slug]
        if unknown:
            valid = ", ".join(by_slug) or "(none)"
            raise SystemExit(f"unknown chapter(s): {', '.join(unknown)}. "
                             f"Valid chapters: {valid}")
        return [by_slug[s] for s in only]

    # -- build tree --------------------------------------------------------
    def run_dir(self, scale: str, seed: int = 0) -> Path:
        if scale not in SCALES:
            raise SystemExit(f"unknown scale {scale!r}; expected one of {SCALES}")
        name = scale if seed == 0 else f"{scale}-seed{seed}"
        return self.root / "_build" / name

    def book_dir(self, scale: str, seed: int = 0) -> Path:
        """The staged Jupyter Book source of a run."""
        return self.run_dir(scale, seed) / "book"

    def metrics_file(self, slug: str, scale: str, seed: int = 0) -> Path:
        """Where a chapter's ``metrics.json`` of a run lives."""
        return self.run_dir(scale, seed) / "metrics" / f"{slug}.json"

    @property
    def baselines(self) -> Path:
        return self.root / "tests" / "baselines"

    @property
    def lib_root(self) -> Path:
        """The folder holding the ``eigenbook`` package that chapters execute.

        The project's own ``lib/`` when it has one (what ``execute`` puts first
        on the kernels' ``PYTHONPATH``), else the installed package's folder.
        """
        own = self.root / "lib"
        if (own / "eigenbook" / "__init__.py").is_file():
            return own
        import eigenbook

        return Path(eigenbook.__file__).resolve().parent.parent

    def library(self) -> Library:
        return Library(self.lib_root)

    def inputs(self, chapter: Chapter, parameters: dict, *,
               library: Library | None = None) -> Inputs:
        """What a chapter's execution depends on, each part hashed.

        The chapter folder (all files but generated notebooks), the library
        modules it imports (transitively, see :mod:`eigenbook.book.deps`), the
        parameters and the dependency lock; ``data/MANIFEST`` too when the
        chapter imports ``eigenbook.data`` (the manifest holds every data
        file's checksum).
        """
        library = library or self.library()
        files = [p for p in sorted(chapter.folder.rglob("*"))
                 if p.is_file() and p.suffix != ".ipynb" and "__pycache__" not in p.parts]
        names = chapter_modules(chapter.source, library)
        modules = {}
        for p in library.files(names):
            modules[_label(p, library.root)] = _sha(p.read_bytes())
        manifest = self.root / "data" / "MANIFEST"
        if manifest.is_file() and any(n == "eigenbook.data" or n.startswith("eigenbook.data.")
                                      for n in names):
            modules["data/MANIFEST"] = _sha(manifest.read_bytes())
        lock = self.root / LOCK_FILE
        return Inputs(
            source=_sha(b"".join(str(p.relative_to(chapter.folder)).encode() + b"\0"
                                 + _sha(p.read_bytes()).encode() for p in files)),
            modules=dict(sorted(modules.items())),
            parameters=_sha(repr(sorted(parameters.items())).encode()),
            lock=_sha(lock.read_bytes() if lock.is_file() else b""))

    def content_hash(self, chapter: Chapter, parameters: dict) -> str:
        """One hash of :meth:`inputs` (what a stamp records)."""
        return self.inputs(chapter, parameters).digest


class Inputs(NamedTuple):
    """The hashed inputs of one chapter's execution (stored in its stamp).

    ``modules`` maps each library module file the chapter imports, as a dotted
    name (``eigenbook.ssm._filters``; a package data file as
    ``eigenbook.pkg/name.csv``), to the hash of its content.
    """

    source: str
    modules: dict[str, str]
    parameters: str
    lock: str

    @property
    def digest(self) -> str:
        return _sha(json.dumps(self._asdict(), sort_keys=True).encode())

    def changes(self, old: dict) -> list[str]:
        """Why a run with these inputs differs from one with ``old`` (``[]``: same)."""
        why = []
        if old.get("source") != self.source:
            why.append("chapter source changed")
        before = old.get("modules") or {}
        changed = sorted(m for m in self.modules if m in before and before[m] != self.modules[m])
        added = sorted(set(self.modules) - set(before))
        dropped = sorted(set(before) - set(self.modules))
        if changed:
            why.append(f"lib module(s) changed: {', '.join(changed)}")
        if added:
            why.append(f"now imports: {', '.join(added)}")
        if dropped:
            why.append(f"no longer imports: {', '.join(dropped)}")
        if old.get("parameters") != self.parameters:
            why.append("parameters changed")
        if old.get("lock") != self.lock:
            why.append(f"dependency lock changed ({LOCK_FILE})")
        return why


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _label(path: Path, lib_root: Path) -> str:
    """``lib/eigenbook/ssm/_filters.py`` -> ``eigenbook.ssm._filters``."""
    rel = path.relative_to(lib_root)
    if rel.suffix != ".py":
        return ".".join(rel.parent.parts) + "/" + rel.name
    parts = rel.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
