"""The ``steep`` command: its parser, built from every registered command, and its exits.

Every command, the core's own included, is registered through the ``register_commands``
hook and called as ``run(args, registry)`` inside the plugin guard. Bad input exits 2 with
one line; a broken plugin or failed run exits 1; Ctrl-C exits 130. ``STEEP_DEBUG=1``
prints the traceback of any error reported, for plugin authors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import NoReturn

from .commands import format_vector
from .errors import PluginError, PluginWarning, SteepError, SteepWarning, UsageError
from .guard import guarded
from .plugins import get_registry
from .registry import Registry
from .version import __version__

EXIT_USAGE = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130
_python_show_warning = warnings.showwarning


def _version_text(registry: Registry) -> str:
    versions = registry.versions()
    del versions["steep"]
    return "\n".join([f"steep {__version__}", *(f"  {n} {v}" for n, v in versions.items())])


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and a pointer to ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n  see `{self.prog} --help`\n")


def build_parser(registry: Registry) -> argparse.ArgumentParser:
    """The parser of every registered command."""
    parser = _Parser(
        prog="steep",
        description="Find the bottom of a cost function with pluggable optimizers.",
        epilog="Environment: STEEP_PLUGINS=a,b loads only those plugins (empty: none); "
        "STEEP_STRICT_PLUGINS=1 makes a broken plugin an error; STEEP_DEBUG=1 prints "
        "tracebacks.",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="show the versions of steep and its plugins, and exit",
    )
    chatter = argparse.ArgumentParser(add_help=False)
    chatter.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log what steep does (restarts, stops, plugin faults) to stderr; -vv for more",
    )
    chatter.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bars and no warnings"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, entry in registry.entries["command"].items():
        help_text = entry.extra.get("help", "")
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[chatter])
        add_arguments = entry.extra.get("add_arguments")
        if add_arguments is not None:
            with guarded(entry.plugin, f"adding the arguments of command {name!r}"):
                add_arguments(sub)
        sub.set_defaults(entry=entry)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], *args: object, **kw: object):
    """steep's own warnings as one line of steep's, not Python's source-line format."""
    if issubclass(category, (PluginWarning, SteepWarning)):
        print(f"steep: warning: {message}", file=sys.stderr)
    else:
        _python_show_warning(message, category, *args, **kw)  # type: ignore[arg-type]


def _set_chatter(verbose: int, quiet: bool) -> None:
    """``-v``: steep's log on stderr (``-vv``: its debug messages); ``-q``: no warnings."""
    logger = logging.getLogger("steep")
    for handler in [h for h in logger.handlers if getattr(h, "steep_cli", False)]:
        logger.removeHandler(handler)  # main() may run more than once in a process
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("steep: %(name)s: %(message)s"))
        handler.steep_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    if quiet:
        warnings.simplefilter("ignore", SteepWarning)


def _debugging() -> bool:
    return os.environ.get("STEEP_DEBUG", "").strip().lower() in {"1", "true", "yes"}


def _fail(command: str, error: BaseException) -> None:
    if _debugging():
        traceback.print_exception(error, file=sys.stderr)
    print(f"steep {command}: error: {error}", file=sys.stderr)


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    """Run the ``steep`` command on ``argv``; return its exit status.

    ``registry`` (default: the process's, :func:`steep.plugins.get_registry`) supplies
    every command, optimizer and landscape.
    """
    try:
        registry = registry or get_registry(warn=False)
    except PluginError as error:
        print(f"steep: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    warnings.showwarning = _show_warning
    parser = build_parser(registry)
    args = parser.parse_args(argv)
    if args.version:
        print(_version_text(registry))
        return 0
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _set_chatter(args.verbose, args.quiet)
    if args.command != "plugins" and not args.quiet:
        for problem in registry.errors + registry.warnings:
            print(f"steep: warning: {problem}", file=sys.stderr)
    entry = args.entry
    try:
        with guarded(entry.plugin, f"command {args.command!r}"):
            return int(entry.extra["run"](args, registry) or 0)
    except UsageError as error:
        _fail(args.command, error)
        return EXIT_USAGE
    except SteepError as error:
        _fail(args.command, error)
        so_far = getattr(error, "result", None)
        if so_far is not None:
            print(
                f"  the run so far: {so_far.nfev} evaluations, best cost {so_far.fun:.10g} at "
                f"{format_vector(so_far.x)}",
                file=sys.stderr,
            )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"steep {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into a reader that stopped early (`| head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
