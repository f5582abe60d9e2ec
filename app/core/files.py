"""Reading a model directory's files defensively: a model directory may come from anyone.

Each file is opened without blocking (a FIFO named vocab.txt would otherwise hang start-up), read
only if it is a regular file (not a directory, a device such as /dev/zero, a FIFO or a socket),
and only up to a size cap; JSON is parsed with its nesting bounded and its strings checked for
lone surrogates (which cannot be written as UTF-8 and would break every answer that names them).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

# Far above any real file of its kind (the shipped ones: config 1 kB, vocab 0.4 MB, tensors 5 MB).
MAX_CONFIG_BYTES = 1024 * 1024
MAX_VOCAB_BYTES = 64 * 1024 * 1024
MAX_TENSOR_BYTES = 2 * 1024 * 1024 * 1024
MAX_JSON_DEPTH = 32
# A model's name is what a request sends: letters and digits of any script, '.', '_' and '-',
# at most 200 characters (the request's limit), starting with a letter or digit. No comma (the
# compare export lists names with commas), no space, no control character, no surrogate.
MODEL_NAME = re.compile(r"[^\W_][\w.\-]{0,199}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UnreadableFileError(ValueError):
    """A file of a model directory that is refused before or while reading; says why."""


def name_problem(name: object) -> str | None:
    """Why `name` cannot be a model's name, or None: the same rule at load and at request."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    if len(name) > 200:
        return f"is {len(name)} characters long (at most 200)"
    if not MODEL_NAME.fullmatch(name):
        return ("may hold only letters, digits, '.', '_' and '-', and must start with a letter "
                "or digit")
    return None


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFileError(f"{path.name} is a directory, not a file")
        _refuse_unless_regular(path, info, limit)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise UnreadableFileError(f"{path.name} is over the limit of {limit:,} bytes")
    return data


def check_regular(path: Path, limit: int) -> None:
    """Refuse `path` unless it is a regular file of at most `limit` bytes (for files read by a
    library, such as safetensors' memory map)."""
    _refuse_unless_regular(path, path.stat(), limit)


def _refuse_unless_regular(path: Path, info: os.stat_result, limit: int) -> None:
    """Raise UnreadableFileError unless `info` (of `path`) is a regular file of at most `limit`
    bytes."""
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError(f"{path.name} is not a regular file (a device, FIFO, socket or "
                                  "directory): it is not read")
    if info.st_size > limit:
        raise UnreadableFileError(f"{path.name} is {info.st_size:,} bytes, over the limit of "
                                  f"{limit:,}")


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (brackets inside strings skipped)."""
    deepest = depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_surrogates(value: Any, where: str) -> None:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise UnreadableFileError(f"{where} holds an unpaired surrogate (\\ud800-\\udfff), "
                                      "which is not valid Unicode")
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_surrogates(k, where)
            _no_surrogates(v, where)
    elif isinstance(value, list):
        for v in value:
            _no_surrogates(v, where)


def parse_json(text: str, what: str) -> Any:
    """json.loads with the nesting bounded and every string valid Unicode."""
    if _depth(text) > MAX_JSON_DEPTH:
        raise UnreadableFileError(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels")
    value = json.loads(text)
    _no_surrogates(value, what)
    return value


def finite_only(value: Any) -> tuple[Any, bool]:
    """`value` with every NaN or infinite number (and the entry holding it) left out; True if
    something was left out. Such numbers have no JSON form: a bare NaN in the page's data would
    stop it drawing."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, True
    if isinstance(value, dict):
        out, dropped = {}, False
        for k, v in value.items():
            clean, lost = finite_only(v)
            dropped |= lost
            if not (lost and clean is None):
                out[k] = clean
        return out, dropped
    if isinstance(value, list):
        items = [finite_only(v) for v in value]
        return ([c for c, lost in items if not (lost and c is None)],
                any(lost for _, lost in items))
    return value, False
