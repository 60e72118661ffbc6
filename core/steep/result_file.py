"""Results you can keep: a :class:`steep.Result` and its whole history in one pickle-free
``.npz`` file, and read back.

The file holds the history's arrays (``x``, ``fun``, ``batch``) and one JSON document
(``result.json`` inside the archive) with everything else: the scipy fields, stop reason,
options, seed, known minimum, failures and typed parameters. numpy reads it with
``allow_pickle=False``, so a result file from someone else cannot run code.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError
from .landscape import Minimum
from .result import History, Result

FORMAT = "steep-result"
FORMAT_VERSION = 1


def save_result(result: Result, path: str | os.PathLike[str]) -> Path:
    """Write ``result`` to ``path`` (``.npz`` is appended when missing); return the path."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **result.to_dict(),
        "failures": {str(i): reason for i, reason in result.history.failures.items()},
    }
    text = json.dumps(document, default=str, allow_nan=True)
    try:
        np.savez_compressed(
            path,
            x=result.history.x,
            fun=result.history.fun,
            batch=result.history.batch,
            document=np.array(text),
        )
    except OSError as error:
        raise UsageError(f"cannot write the result file {str(path)!r}: {error.strerror}") from None
    return path


def load_result(path: str | os.PathLike[str]) -> Result:
    """The :class:`steep.Result` saved in ``path``; :class:`UsageError` naming what is wrong."""
    where = f"result file {str(path)!r}"
    try:
        with np.load(path, allow_pickle=False) as arrays:
            document = json.loads(str(arrays["document"]))
            x, fun, batch = arrays["x"], arrays["fun"], arrays["batch"]
    except FileNotFoundError:
        raise UsageError(f"{where} does not exist") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as error:
        raise UsageError(f"{where} is not a saved steep result: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UsageError(f"{where} is not a saved steep result (no steep-result document)")
    try:
        return _result(document, x, fun, batch)
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"{where} is damaged: {type(error).__name__}: {error}") from None


def _result(document: dict[str, Any], x: np.ndarray, fun: np.ndarray, batch: np.ndarray) -> Result:
    minimum = document["minimum"]
    history = History(
        x=x, fun=fun, batch=batch, failures={int(i): r for i, r in document["failures"].items()}
    )
    return Result(
        x=np.array(document["x"], dtype=np.float64),
        fun=float(document["fun"]),
        nfev=int(document["nfev"]),
        nit=int(document["nit"]),
        success=bool(document["success"]),
        message=str(document["message"]),
        stop=str(document["stop"]),
        history=history,
        njev=int(document["njev"]),
        nbatch=int(document["nbatch"]),
        elapsed=float(document["elapsed"]),
        problem=str(document["problem"]),
        optimizer=str(document["optimizer"]),
        options=dict(document["options"]),
        seed=document["seed"],
        minimum=None if minimum is None else Minimum(minimum["x"], minimum["fun"]),
        warnings=tuple(document.get("warnings", ())),
        params=document.get("params"),
        ncached=int(document.get("ncached", 0)),
        restarts=int(document.get("restarts", 0)),
        decisions=tuple(document.get("decisions", ())),
    )
