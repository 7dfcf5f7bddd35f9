"""The garbage collector paused while the window starts: off until ready, then on again with the
start-up objects frozen, and a collector someone else turned off stays off."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from desktop.startup_gc import StartupCollector


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_off_until_resumed_then_on_with_start_up_frozen(collector_state):
    """Pausing turns collection off; resuming turns it back on once and freezes what is alive."""
    gc.enable()
    gc.unfreeze()
    collector = StartupCollector()
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gc.disable()
    collector.resume()  # a second resume changes nothing
    assert not gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(collector_state):
    """Resuming never enables a collector that was already off before the pause."""
    gc.disable()
    collector = StartupCollector()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()


def test_the_window_collects_garbage_again_once_ready(tmp_path):
    """After `quadrangle --quit-when-ready` the collector is on, with the start-up objects frozen."""
    target = tmp_path / "snap.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(2):  # the second start paints from the snapshot the first one left
        probe = (
            "import gc, sys; from desktop.cli import main; "
            f"status = main(['--db', {str(target)!r}, '--quit-when-ready']); "
            "print(status, gc.isenabled(), gc.get_freeze_count() > 0)"
        )
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
        assert result.stdout.split() == ["0", "True", "True"], result.stderr
