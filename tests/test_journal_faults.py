"""Journal faults: two runs into one journal, a full disk, a header without a key, a line
changed after it was written. Each ends in one line naming the file, or a warning, and
loses nothing the journal held."""

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
import types
import warnings
from pathlib import Path

import numpy as np
import pytest
import steep
from journal_objectives import tea, tea_batch
from steep import SteepError, UsageError
from steep import journal_writer as journal_module
from steep.cli import main
from steep.errors import SteepWarning
from steep.journal import HEADER_KEYS, JournalError, read_journal
from steep.journal_writer import JournalWriter

TESTS = Path(__file__).parent
FULL = os.strerror(errno.ENOSPC)


def same_run(a, b):
    np.testing.assert_array_equal(a.history.x, b.history.x)
    np.testing.assert_array_equal(a.history.fun, b.history.fun)
    assert (a.x.tolist(), a.fun, a.nfev, a.stop) == (b.x.tolist(), b.fun, b.nfev, b.stop)


def lock_file(path):
    return path.with_name(path.name + ".lock")


def read_quietly(path):
    """The journal at ``path``, read with every warning an error: whole, no torn line."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_journal(path)


# -- two runs into one journal -------------------------------------------------------------

HELD = '''
import time
from pathlib import Path

GATE = Path(__file__).with_name("gate")


def held(x):
    """A bowl whose evaluations wait until the file ``gate`` beside this module exists."""
    while not GATE.exists():
        time.sleep(0.005)
    return float(((x - 0.3) ** 2).sum())
'''

RUN_HELD = """
import sys, steep
from fakes import basic_plugin
from held_objective import held
registry = steep.plugins.load_registry(plugins=[("basic", basic_plugin())], use_entry_points=False)
steep.minimize(held, (0, 1), dim=2, budget=30, seed=7, journal=sys.argv[1], registry=registry)
"""


def test_a_second_run_into_a_journal_being_written_is_refused_naming_its_process(
    registry, tmp_path, monkeypatch, capsys
):
    (tmp_path / "held_objective.py").write_text(HELD)
    monkeypatch.syspath_prepend(str(tmp_path))
    from held_objective import held

    path = tmp_path / "run.jsonl"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(tmp_path)])
    child = subprocess.Popen([sys.executable, "-c", RUN_HELD, str(path)], env=environ)
    try:
        deadline = time.monotonic() + 60
        while not lock_file(path).exists():  # the journal is written, locked, its holder named
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        refused = f"journal {str(path)!r} is being written by process {child.pid}; "
        with pytest.raises(UsageError, match=re.escape(refused)):
            steep.resume(path)
        with pytest.raises(UsageError, match=re.escape(refused)):
            steep.minimize(held, (0, 1), dim=2, budget=30, seed=7, journal=path)
        assert main(["resume", str(path)], registry=registry) == 2
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith(f"steep resume: error: {refused}")
        assert path.read_bytes().count(b"\n") == 1  # the refused runs wrote nothing
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    # the killed run's lock went with it; the id it left beside the journal blocks nothing
    assert lock_file(path).read_text().split()[0] == str(child.pid)
    (tmp_path / "gate").touch()
    reference = steep.minimize(held, (0, 1), dim=2, budget=30, seed=7)
    same_run(reference, steep.resume(path))
    assert not lock_file(path).exists()


def test_a_journal_takes_one_writer_in_a_process_too(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    steep.minimize(tea_batch, (0, 1), vectorized=True, budget=8, seed=1, journal=path)
    first = JournalWriter(path, None)
    assert lock_file(path).read_text().split()[0] == str(os.getpid())
    with pytest.raises(UsageError, match=f"is being written by process {os.getpid()}; "):
        JournalWriter(path, None)
    first.close()
    first.close()  # closing twice is harmless
    assert not lock_file(path).exists()
    JournalWriter(path, None).close()


def test_without_fcntl_journals_work_unlocked(registry, tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "fcntl", None)
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), vectorized=True, budget=12, seed=2, journal=path)
    same_run(first, steep.resume(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.jsonl"]


def test_a_file_system_without_locks_is_a_warning(registry, tmp_path, monkeypatch):
    def flock(fd, operation):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    fake = types.SimpleNamespace(LOCK_EX=2, LOCK_NB=4, LOCK_UN=8, flock=flock)
    monkeypatch.setattr(journal_module, "fcntl", fake)
    path = tmp_path / "run.jsonl"
    with pytest.warns(SteepWarning, match=r"cannot lock it \(No locks available\)"):
        result = steep.minimize(tea_batch, (0, 1), vectorized=True, budget=8, journal=path)
    assert result.nfev == 8 and not lock_file(path).exists()


# -- a full disk ---------------------------------------------------------------------------


def fill_disk(monkeypatch, where, after):
    """Make the disk full for the journal's record number ``after + 1``: its ``write``
    stores half the line, then fails; or its ``fsync`` fails."""
    real_write, real_fsync = os.write, os.fsync
    records, torn = [], []

    def write(fd, data):
        if torn:
            torn.clear()
            raise OSError(errno.ENOSPC, FULL)
        if bytes(data[:9]) == b'{"batch":':
            records.append(fd)
            if len(records) > after:
                torn.append(fd)
                return real_write(fd, bytes(data[: len(data) // 2]))
        return real_write(fd, data)

    def fsync(fd):
        records.append(fd)
        if len(records) > after + 1:  # the header's, then one a record
            raise OSError(errno.ENOSPC, FULL)
        real_fsync(fd)

    if where == "write":
        monkeypatch.setattr(os, "write", write)
    else:
        monkeypatch.setattr(os, "fsync", fsync)


SETUP = {"dim": 2, "budget": 40, "seed": 4, "options": {"batch": 6}}


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_stops_the_run_with_its_best_so_far_and_a_whole_journal(
    registry, tmp_path, monkeypatch, where
):
    reference = steep.minimize(tea, (0, 1), **SETUP)
    path = tmp_path / "run.jsonl"
    with monkeypatch.context() as patch:
        fill_disk(patch, where, after=15)
        with pytest.raises(JournalError) as caught:
            steep.minimize(tea, (0, 1), journal=path, **SETUP)
    error = caught.value
    assert isinstance(error, SteepError)
    assert str(error) == (
        f"journal {str(path)!r}: no space left on device; the run stopped with its best so far"
    )
    so_far = error.result  # two whole batches of 6; the third stopped at its 16th point
    assert (so_far.nfev, so_far.stop, so_far.message) == (12, "error", str(error))
    np.testing.assert_array_equal(so_far.history.x, reference.history.x[:12])
    assert so_far.fun == reference.history.fun[:12].min()
    # the journal is whole up to its last complete record, and nothing in it is made again
    assert sum(len(chunk.x) for chunk in read_quietly(path).chunks) == 15
    assert not lock_file(path).exists()
    log = tmp_path / "calls.log"
    monkeypatch.setenv("STEEP_TEST_LOG", str(log))
    same_run(reference, steep.resume(path))
    assert len(log.read_text().splitlines()) == 40 - 15
    read_quietly(path)


def test_a_full_disk_on_the_command_line_prints_the_run_so_far(
    registry, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "run.jsonl"
    args = ["run", "--objective", "journal_objectives:tea_batch", "--vectorized"]
    args += ["--bounds=0:1", "-d", "2", "-n", "40", "-s", "4", "--journal", str(path)]
    with monkeypatch.context() as patch:
        fill_disk(patch, "fsync", after=3)  # a vectorized objective: a record per batch
        assert main(args, registry=registry) == 1
    error, so_far = capsys.readouterr().err.splitlines()
    assert error == (
        f"steep run: error: journal {str(path)!r}: no space left on device; "
        "the run stopped with its best so far"
    )
    assert so_far.startswith("  the run so far: 12 evaluations, best cost ")
    assert len(read_quietly(path).chunks) == 3
    assert main(["resume", str(path)], registry=registry) == 0


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_before_the_header_leaves_no_file_behind(
    registry, tmp_path, monkeypatch, where
):
    real_write = os.write

    def write(fd, data):
        if bytes(data[:11]) == b'{"format": ':
            raise OSError(errno.ENOSPC, FULL)
        return real_write(fd, data)

    def fsync(fd):
        raise OSError(errno.ENOSPC, FULL)

    path = tmp_path / "run.jsonl"
    with monkeypatch.context() as patch:
        patch.setattr(os, where, write if where == "write" else fsync)
        message = re.escape(f"cannot write journal {str(path)!r}: {FULL}")
        with pytest.raises(UsageError, match=message):
            steep.minimize(tea_batch, (0, 1), vectorized=True, budget=8, journal=path)
    assert list(tmp_path.iterdir()) == []


# -- a header without a key ----------------------------------------------------------------


@pytest.mark.parametrize("key", [*HEADER_KEYS, "problem.bounds_used"])
def test_a_header_without_a_key_is_refused_naming_it(registry, tmp_path, key):
    path = tmp_path / "run.jsonl"
    setup = {"vectorized": True, "budget": 8, "seed": 1, "journal": path}
    steep.minimize(tea_batch, (0, 1), **setup)
    header, rest = path.read_text().split("\n", 1)
    written = json.loads(header)
    outer, _, inner = key.partition(".")
    if inner:
        del written[outer][inner]
    else:
        del written[outer]
    path.write_text(json.dumps(written) + "\n" + rest)
    message = re.escape(f"journal {str(path)!r}: header lacks {key!r}")
    with pytest.raises(UsageError, match=message):
        read_journal(path)
    with pytest.raises(UsageError, match=message):
        steep.resume(path)
    with pytest.raises(UsageError, match=message):  # and no lock is left held by the refusals
        steep.minimize(tea_batch, (0, 1), **setup)
    assert not lock_file(path).exists()


# -- lines changed after they were written -------------------------------------------------

BATCHES = {"dim": 2, "vectorized": True, "budget": 40, "seed": 3, "options": {"batch": 4}}


def rewrite(path, number, change):
    """Apply ``change`` to the record on line ``number`` (from 1) of the journal."""
    lines = path.read_text().splitlines(keepends=True)
    record = json.loads(lines[number - 1])
    change(record)
    lines[number - 1] = json.dumps(record, separators=(", ", ": ")) + "\n"
    path.write_text("".join(lines))


def halve_cost(record):
    record["y"][0] /= 2


def move_point(record):
    record["x"][-1][1] = 0.5


def fail(record):
    record["failures"] = {"0": "ValueError: too hot"}


@pytest.mark.parametrize(
    ("number", "change"),
    [
        (2, halve_cost),
        (7, halve_cost),
        (11, halve_cost),
        (7, move_point),
        (11, move_point),
        (5, fail),
    ],
)
def test_a_changed_cost_or_point_is_named_by_its_line(registry, tmp_path, number, change):
    path = tmp_path / "run.jsonl"
    steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    assert len(path.read_text().splitlines()) == 11
    rewrite(path, number, change)
    message = (
        f"journal {str(path)!r} line {number} was changed after it was written (its checksum "
        f"does not match); lines 1 to {number - 1} are as written"
    )
    with pytest.raises(UsageError, match=re.escape(message)):
        steep.resume(path)
    with pytest.raises(UsageError, match=re.escape(message)):
        steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (lambda lines: [*lines[:5], lines[5][:40] + "\n", *lines[6:]], "line 6 is damaged: "),
        (lambda lines: lines[:5] + lines[6:], "line 6 was changed after it was written"),
        (lambda lines: [*lines[:5], lines[6], lines[5], *lines[7:]], "line 6 was changed"),
        (lambda lines: [*lines[:6], lines[5], *lines[6:]], "line 7 was changed"),
    ],
    ids=["torn", "removed", "swapped", "repeated"],
)
def test_a_torn_removed_or_moved_line_in_the_middle_is_named(registry, tmp_path, cut, message):
    path = tmp_path / "run.jsonl"
    steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    path.write_text("".join(cut(path.read_text().splitlines(keepends=True))))
    with pytest.raises(UsageError, match=re.escape(f"journal {str(path)!r} {message}")):
        steep.resume(path)


def test_a_torn_last_line_is_still_dropped_with_a_steep_warning(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    text = path.read_text()
    path.write_text(text[: len(text) - 30])
    with pytest.warns(SteepWarning, match="dropped a torn last line"):
        again = steep.resume(path)
    same_run(first, again)
    chains = [json.loads(line)["chain"] for line in text.splitlines()]
    assert [json.loads(line)["chain"] for line in path.read_text().splitlines()] == chains
    assert len(read_quietly(path).chunks) == 10


def test_timings_are_outside_the_chain(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    rewrite(path, 1, lambda header: header.update(written="1999-12-31T23:59:59+00:00"))
    rewrite(path, 6, lambda record: record.update(seconds=12.5))
    same_run(first, steep.resume(path))


def test_a_changed_header_is_refused_unless_forced(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    rewrite(path, 1, lambda header: header["budget"].update(evaluations=48))
    with pytest.raises(
        UsageError,
        match=re.escape(
            f"journal {str(path)!r}: its header (line 1) was changed after it was written (its "
            "checksum does not match); resume anyway with force=True (--force)"
        ),
    ):
        steep.resume(path)
    longer = steep.resume(path, force=True)  # the edited budget, the journal's first 40 kept
    assert longer.nfev == 48
    np.testing.assert_array_equal(longer.history.x[:40], first.history.x)
    assert len(read_quietly(path).chunks) == 12  # the new records chain on from the old


def test_the_same_run_gives_the_same_chain(registry, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    steep.minimize(tea_batch, (0, 1), journal=one, **BATCHES)
    steep.minimize(tea_batch, (0, 1), journal=two, **BATCHES)
    assert read_quietly(one).chain == read_quietly(two).chain is not None


def test_version_1_journals_are_read_and_continued_without_a_chain(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), journal=path, **BATCHES)
    header, *records = [json.loads(line) for line in path.read_text().splitlines()]
    assert header["format_version"] == 2 and all("chain" in r for r in [header, *records])
    header["format_version"] = 1
    old = [header, *records[:6]]  # a version 1 journal of a run stopped after 6 batches
    unchained = [{k: v for k, v in r.items() if k != "chain"} for r in old]
    path.write_text("".join(json.dumps(r) + "\n" for r in unchained))
    same_run(first, steep.resume(path))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 11 and lines[0]["format_version"] == 1
    assert not any("chain" in line for line in lines)
    assert read_quietly(path).chain is None
