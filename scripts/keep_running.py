"""Run a command and start it again whenever it stops, until this process is told to stop.

``make run`` starts the web server, a Celery worker and beat under honcho, which stops all three when
one exits. The worker and beat run under this script, so a worker that dies (killed, out of memory, a
lost broker connection) is started again after a short, growing pause and the web server stays up
(``/healthz`` shows the worker's heartbeat age meanwhile). Ctrl-C, or honcho's SIGTERM, stops the
command and this script together.

    python scripts/keep_running.py NAME -- COMMAND [ARG...]
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

PAUSES = (1, 2, 5, 10, 30)  # seconds before each restart in a row; a run of a minute resets them


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, command = argv[0], argv[2:]
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    restarts = 0
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)  # noqa: S603 - the Procfile's own command
        code = child.wait()
        if stopping:
            return code
        restarts = 0 if time.monotonic() - started > 60 else restarts + 1
        pause = PAUSES[min(restarts, len(PAUSES)) - 1] if restarts else PAUSES[0]
        print(f"{name} stopped (exit code {code}); starting it again in {pause} s", flush=True)
        deadline = time.monotonic() + pause
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.2)
        if stopping:
            return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
