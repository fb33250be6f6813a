"""What the log says about an unexpected error: enough for support to find where and why it
failed, and nothing that could hold a child's data.

Only types, error codes (errno and SQLite's names) and the stack of files, functions and line
numbers are written. Exception messages, argument values and source lines are not: a message
may quote a name from a case list, a path may name a child.
"""

from __future__ import annotations

import errno
import traceback
from pathlib import Path


def _code(exc: BaseException) -> str:
    codes = []
    if isinstance(exc, OSError) and exc.errno is not None and exc.errno in errno.errorcode:
        codes.append(errno.errorcode[exc.errno])
    for each in (exc, getattr(exc, "orig", None)):
        name = getattr(each, "sqlite_errorname", None)
        if name:
            codes.append(name)
    return f" [{', '.join(codes)}]" if codes else ""


def _frames(exc: BaseException) -> list[str]:
    lines = []
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        parts = path.parts
        # From the package onwards (panelapp/..., sqlalchemy/...), never the user's folders.
        for anchor in ("panelapp", "site-packages", "lib"):
            if anchor in parts:
                index = len(parts) - 1 - parts[::-1].index(anchor)
                path = Path(*parts[index + (anchor != "panelapp") :])
                break
        else:
            path = Path(path.name)
        lines.append(f"  at {path.as_posix()}:{frame.lineno} in {frame.name}")
    return lines


def describe_exception(exc: BaseException) -> str:
    """``TypeName [CODE]`` then the stack, for each exception of the chain (cause first)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    each: BaseException | None = exc
    while each is not None and id(each) not in seen and len(chain) < 8:
        seen.add(id(each))
        chain.append(each)
        each = each.__cause__ or each.__context__
    parts = []
    for position, each in enumerate(reversed(chain)):
        kind = f"{type(each).__module__}.{type(each).__qualname__}"
        lead = "then " if position else ""
        parts.append(f"{lead}{kind}{_code(each)}")
        parts.extend(_frames(each))
    return "\n".join(parts)
