"""The checked reference data, kept in the user's cache folder between runs.

Parsing and checking ``categories.yaml`` and ``routeways.yaml`` (and building
the validators that check them) is most of what a one-file `dps validate`
does.  A run that checked them writes what it found, as plain JSON, to
``$XDG_CACHE_HOME/dps`` (or ``~/.cache/dps``); the next run with the same
files reads it back instead.

- The file's name is a key: SHA-256 of dps's version, the source of the models
  the data is built into, and the reference files' bytes.  Edited data, another
  ``--reference`` folder or another dps gets a key of its own: never a stale hit.
- The file starts with the SHA-256 of the rest, which holds the key again; a cache file that is
  corrupt, truncated, of another shape or not ours is ignored, and the data is
  parsed and checked as if there were no cache.
- Written atomically (a temporary file renamed into place), readable by the
  user alone; a cache folder that cannot be written is silently not used.
- JSON of plain values only: reading a cache file runs no code from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from . import __version__

FORMAT = 1
_M = TypeVar("_M", bound=BaseModel)


def folder() -> Path | None:
    """``$XDG_CACHE_HOME/dps`` when that is an absolute path (as the XDG spec asks), else ``~/.cache/dps``.

    None when there is neither (no home folder): no cache, then.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "dps"
    try:
        return Path.home() / ".cache" / "dps"
    except (RuntimeError, KeyError, OSError):  # no HOME and no account entry to find one in
        return None


def key(contents: list[bytes], *modules: str) -> str:
    """The cache key of reference files with these bytes, for models defined in ``modules`` (source files)."""
    digest = hashlib.sha256(f"dps {__version__} cache {FORMAT}".encode())
    for part in [*(_source(m) for m in modules), *contents]:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _source(module_file: str) -> bytes:
    try:
        return Path(module_file).read_bytes()
    except OSError:
        return b"unreadable"


def read(cache_key: str) -> dict[str, Any] | None:
    """The payload stored under ``cache_key``, or None if there is none that can be trusted."""
    where = folder()
    if where is None:
        return None
    try:
        raw = (where / f"reference-{cache_key}.json").read_bytes()
        checksum, _, text = raw.partition(b"\n")
        if checksum.decode("ascii") != hashlib.sha256(text).hexdigest():
            return None
        envelope = json.loads(text)
        if envelope["key"] != cache_key or not isinstance(envelope["body"], dict):
            return None
        body: dict[str, Any] = envelope["body"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return body


def write(cache_key: str, body: dict[str, Any]) -> None:
    """Store ``body`` under ``cache_key``, atomically; any failure leaves the cache as it was."""
    text = json.dumps({"key": cache_key, "body": body}, sort_keys=True, separators=(",", ":")).encode()
    target = folder()
    if target is None:
        return
    with contextlib.suppress(OSError):
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".reference-", suffix=".tmp", dir=target)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
            os.replace(temporary, target / f"reference-{cache_key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def dump(model: BaseModel) -> dict[str, Any]:
    """A checked model as plain JSON values (decimals as text)."""
    return model.model_dump(mode="json")


def build(model: type[_M], data: dict[str, Any]) -> _M:
    """The model ``dump`` gave ``data`` for, rebuilt without checking again (it was checked before it was stored).

    Raises ValueError, KeyError or TypeError for data of another shape.
    """
    fields = model.model_fields
    if set(data) != set(fields):
        raise KeyError(f"{model.__name__}: fields {sorted(data)} are not {sorted(fields)}")
    return model.model_construct(**{name: _value(field.annotation, data[name]) for name, field in fields.items()})


def _value(annotation: Any, raw: Any) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _value(args[0], raw)
    if origin in (typing.Union, types.UnionType):
        return None if raw is None else _value(next(a for a in args if a is not type(None)), raw)
    if origin is list:
        return [_value(args[0], item) for item in _of(list, raw)]
    if origin is dict:
        return {_of(str, k): _value(args[1], v) for k, v in _of(dict, raw).items()}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return build(annotation, _of(dict, raw))
    if annotation is Decimal:
        return Decimal(_of(str, raw))
    if annotation is int:
        return _of(int, raw)
    return raw  # text and literals, stored as they were checked


def _of(kind: type[Any], raw: Any) -> Any:
    if not isinstance(raw, kind) or isinstance(raw, bool):
        raise TypeError(f"expected {kind.__name__}, found {type(raw).__name__}")
    return raw
