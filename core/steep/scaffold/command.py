"""The ``steep new`` command, registered as an internal plugin of the core."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from ..markers import hookimpl
from ..registry import Registry
from .generate import KINDS, write_plugin


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``steep new KIND NAME [--dir FOLDER]``."""
    parser.add_argument("kind", choices=KINDS, help="what the plugin brings")
    parser.add_argument(
        "name", help="its name: lowercase words joined by '-'; the distribution is steep-NAME"
    )
    parser.add_argument(
        "--dir",
        default=".",
        metavar="FOLDER",
        help="the folder to write steep-NAME/ in (default: the current folder)",
    )


def run(args: argparse.Namespace, registry: Registry) -> int:
    """Write the plugin, list its files and say what to do next."""
    written = write_plugin(args.kind, args.name, args.dir, registry)
    target = written[0].parent
    shown = str(target) if target.is_absolute() else f".{os.sep}{target}"  # not a PyPI name
    print(f"wrote {target}/, a plugin distribution with the {args.kind} {args.name!r}:")
    for path in written:
        print(f"  {path.relative_to(target.parent)}")
    flag = "--optimizer" if args.kind == "optimizer" else "--landscape"
    print("next:")
    print(f'  pip install "{shown}[test]"')
    print(f"  python -m pytest {os.path.join(shown, 'tests')}")
    print("  steep list")
    print(f"  steep run {flag} {args.name} --dim 2 --seed 1")
    return 0


@hookimpl
def register_commands(register: Callable[..., None]) -> None:
    register(
        "new",
        run,
        help="write a new optimizer or landscape plugin: a distribution that installs and "
        "passes its tests as written",
        add_arguments=add_arguments,
    )
