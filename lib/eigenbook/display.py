"""Showing the library in a chapter: its source code and the house figure style.

:func:`show_source` is the one way a chapter prints library code. It takes a
*public* function and prints its source without the docstring, followed by the
source of the private (usually jitted) implementation it dispatches to, so a
chapter never names a private module or slices ``inspect.getsource`` output.

The link from a public function to its implementation is declared in the library,
next to the code, with the :func:`implemented_by` decorator, which stores the
implementations on the function as the attribute ``__impl__`` (a tuple). Entries are
the implementation functions themselves or, when one is defined further down the
module, its name as a string (resolved in the public function's module when shown)::

    @partial(jax.jit, static_argnums=(1,))
    def _gs_impl(A, method): ...

    @implemented_by(_gs_impl)
    def gram_schmidt(A, *, method="mgs"): ...

and in the chapter::

    display.show_source(orth.gram_schmidt)

:func:`use_house_style` applies the book's matplotlib defaults (matplotlib is
imported only when it is called; no method family imports it).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

__all__ = ["HOUSE_STYLE", "implemented_by", "show_source", "source", "use_house_style"]

#: The book's matplotlib ``rcParams`` (applied by :func:`use_house_style`).
HOUSE_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "font.size": 10,
}


def use_house_style() -> None:
    """Apply the book's matplotlib defaults (call once, in a chapter's imports cell)."""
    import matplotlib as mpl

    mpl.rcParams.update(HOUSE_STYLE)


def implemented_by(*impls: Callable[..., Any] | str) -> Callable[[Callable], Callable]:
    """Decorator: record the private implementation(s) a public function dispatches to.

    Parameters
    ----------
    *impls : callable or str
        The implementation functions, in the order :func:`show_source` prints
        them (e.g. the jitted kernel, then a helper it calls). A string names a
        function of the decorated function's module (for one defined further down).

    Returns
    -------
    decorator : callable
        Sets ``fn.__impl__ = impls`` and returns ``fn`` unchanged.

    Raises
    ------
    ValueError
        No implementation given.
    TypeError
        An entry is neither callable nor a string.
    """
    where = "display.implemented_by"
    if not impls:
        raise ValueError(f"{where}(impls=...): expected at least one implementation; got none.")
    for impl in impls:
        if not (callable(impl) or isinstance(impl, str)):
            raise TypeError(f"{where}(impls=...): expected functions or their names; "
                            f"got {type(impl).__name__}.")

    def mark(fn: Callable) -> Callable:
        fn.__impl__ = tuple(impls)
        return fn

    return mark


def _resolve(fn: Callable, impl: Callable | str, where: str) -> Callable:
    if not isinstance(impl, str):
        return impl
    module = inspect.getmodule(inspect.unwrap(fn))
    found = getattr(module, impl, None)
    if found is None:
        raise ValueError(f"{where}(fn=...): {fn.__qualname__}.__impl__ names {impl!r}, which "
                         f"module {getattr(module, '__name__', '?')} does not define.")
    return found


def _without_docstring(fn: Callable) -> str:
    """The source of ``fn`` with its docstring and ``@implemented_by`` line removed."""
    lines = textwrap.dedent(inspect.getsource(inspect.unwrap(fn))).splitlines(keepends=True)
    node = ast.parse("".join(lines)).body[0]
    drop: set[int] = set()
    for dec in getattr(node, "decorator_list", []):
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "implemented_by":
            drop.update(range(dec.lineno - 1, dec.end_lineno))
    body = getattr(node, "body", [])
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        drop.update(range(body[0].lineno - 1, body[0].end_lineno))
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def source(fn: Callable[..., Any], *, impl: bool = True) -> str:
    """The text :func:`show_source` prints.

    Parameters
    ----------
    fn : callable
        A public library function (its name does not start with ``_``).
    impl : bool
        Append the source of each implementation in ``fn.__impl__`` (see
        :func:`implemented_by`); a function without ``__impl__`` is its own
        implementation.

    Returns
    -------
    text : str
        ``fn``'s source without its docstring, then each implementation's
        source, separated by blank lines.

    Raises
    ------
    TypeError
        ``fn`` is not a function with retrievable source.
    ValueError
        ``fn`` is private, or its ``__impl__`` names a function that does not exist.
    """
    return _source(fn, impl, "display.source")


def _source(fn: Callable[..., Any], impl: bool, where: str) -> str:
    if not callable(fn) or not hasattr(inspect.unwrap(fn), "__code__"):
        raise TypeError(f"{where}(fn=...): expected a library function; got {type(fn).__name__}.")
    name = getattr(fn, "__name__", "")
    if name.startswith("_"):
        raise ValueError(f"{where}(fn=...): expected a public function; got the private {name!r}. "
                         "Pass the public function that dispatches to it (see implemented_by).")
    parts = [_without_docstring(fn)]
    if impl:
        for entry in getattr(fn, "__impl__", ()):
            parts.append(textwrap.dedent(inspect.getsource(inspect.unwrap(
                _resolve(fn, entry, where)))))
    return "\n\n".join(part.rstrip("\n") + "\n" for part in parts).rstrip("\n")


def show_source(fn: Callable[..., Any], *, impl: bool = True) -> None:
    """Print a public function's source (no docstring), then its implementation's.

    The one way chapters show library code. The implementation(s) are those the
    library declared with :func:`implemented_by` (stored as ``fn.__impl__``), so
    the chapter names only the public function.

    Parameters
    ----------
    fn : callable
        A public library function, e.g. ``orth.gram_schmidt``.
    impl : bool
        Also print the implementation(s) (default); ``False`` prints ``fn`` only.

    Raises
    ------
    TypeError, ValueError
        As in :func:`source`.

    Example
    -------
    >>> from eigenbook import display, orth
    >>> display.show_source(orth.gram_schmidt)  # doctest: +SKIP
    """
    print(_source(fn, impl, "display.show_source"))
