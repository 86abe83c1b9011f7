"""``make run`` survives a dead worker: honcho keeps the web server up while the worker is restarted.

Seen: under ``make run``, killing the Celery worker stopped the web server and beat too (honcho stops all
when one exits). The worker and beat now run under ``scripts/keep_running.py``; this test runs honcho on
a Procfile of the same shape, kills the worker's process and watches it come back.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = "import os, time; print('started', os.getpid(), flush=True); time.sleep(120)"


def _next_pid(process: subprocess.Popen[str], deadline: float) -> int:
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"started (\d+)", line)
        if found:
            return int(found.group(1))
    raise AssertionError("the worker did not start in time")


def test_the_procfile_runs_the_worker_and_beat_under_the_restarter():
    procfile = (ROOT / "Procfile").read_text()
    for name in ("worker", "beat"):
        line = next(line for line in procfile.splitlines() if line.startswith(f"{name}:"))
        assert f"scripts/keep_running.py {name} -- .venv/bin/celery -A svrp {name}" in line


def test_a_killed_worker_is_started_again_and_the_web_server_stays_up(tmp_path):
    (tmp_path / "Procfile").write_text(
        f'web: exec {sys.executable} -c "import time; time.sleep(120)"\n'
        f"worker: exec {sys.executable} {ROOT / 'scripts/keep_running.py'} worker -- "
        f'{sys.executable} -u -c "{CHILD}"\n'
    )
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "-f", str(tmp_path / "Procfile"), "-d", str(tmp_path), "start"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        first = _next_pid(honcho, time.monotonic() + 30)
        os.kill(first, signal.SIGKILL)
        second = _next_pid(honcho, time.monotonic() + 30)
        assert second != first
        assert honcho.poll() is None  # the web server (and honcho) never stopped
    finally:
        honcho.send_signal(signal.SIGINT)
        try:
            honcho.wait(timeout=15)
        except subprocess.TimeoutExpired:
            honcho.kill()
            raise
    # Ctrl-C stops the restarter and its worker too: nothing is left running.
    time.sleep(0.5)
    assert not _alive(second)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of an exited child still answers kill(0); it is not running.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"
