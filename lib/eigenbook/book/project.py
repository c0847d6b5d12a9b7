"""Where things are: the project root, its chapters, and the per-scale build tree.

Layout of the build tree (nothing is ever written into ``chapters/``)::

    _build/<run>/executed/<slug>.ipynb   executed notebook (what the site renders)
    _build/<run>/metrics/<slug>.json     the chapter's metrics.json
    _build/<run>/stamps/<slug>.json      content hash of the last successful run
    _build/<run>/failed/<slug>.ipynb     the partially executed notebook of a failure
    _build/<run>/book/                   staged Jupyter Book source
    _build/<run>/html/                   the rendered site

where ``<run>`` is the scale (``ci`` or ``full``), or ``<scale>-seed<N>`` for a
seed other than 0, so that runs never invalidate each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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

    @property
    def baselines(self) -> Path:
        return self.root / "tests" / "baselines"

    def lib_sources(self) -> list[Path]:
        """The library sources a chapter's results depend on (not the machinery)."""
        lib = self.root / "lib" / "eigenbook"
        return sorted(p for p in lib.rglob("*.py") if "book" not in p.relative_to(lib).parts)

    def content_hash(self, chapter: Chapter, parameters: dict) -> str:
        """Hash of everything a chapter's execution depends on.

        The chapter folder (all files but generated notebooks), the library
        sources, the parameters and the dependency lock.
        """
        h = hashlib.sha256()

        def add(label: str, data: bytes) -> None:
            h.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

        for p in sorted(chapter.folder.rglob("*")):
            if p.is_file() and p.suffix != ".ipynb" and "__pycache__" not in p.parts:
                add(str(p.relative_to(self.root)), p.read_bytes())
        for p in self.lib_sources():
            add(str(p.relative_to(self.root)), p.read_bytes())
        add("parameters", repr(sorted(parameters.items())).encode())
        lock = self.root / LOCK_FILE
        add("lock", lock.read_bytes() if lock.is_file() else b"")
        return h.hexdigest()
