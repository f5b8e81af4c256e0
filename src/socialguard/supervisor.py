"""``socialguard serve`` keeps its children running: the web server and the worker.

A child that dies (``kill -9``, out of memory) is started again after a back-off that doubles
with each quick failure (1 s, 2 s, 4 s ... at most 30 s) and resets once the child has run for a
minute, while the other children carry on: a dead worker never takes the web server down with it.
Only a signal to ``serve`` itself (Ctrl+C, SIGTERM from the service manager) stops everything.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Process(Protocol):
    pid: int
    returncode: int | None

    def poll(self) -> int | None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


@dataclass
class Child:
    name: str
    argv: list[str]
    process: Process | None = None
    started_at: float = 0.0
    quick_failures: int = 0
    restart_at: float | None = None
    restarts: int = 0
    history: list[int] = field(default_factory=list)


def _log(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(
        self,
        children: list[Child],
        *,
        spawn: Callable[[list[str]], Process] | None = None,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] = _log,
        stable_after: float = 60.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.children = children
        self.spawn = spawn or (lambda argv: subprocess.Popen(argv))  # noqa: S603
        self.clock = clock
        self.log = log
        self.stable_after = stable_after
        self.max_backoff = max_backoff
        self.stopping = False

    def start(self) -> None:
        for child in self.children:
            self._start(child)

    def _start(self, child: Child) -> None:
        child.process = self.spawn(child.argv)
        child.started_at = self.clock()
        child.restart_at = None

    def backoff(self, quick_failures: int) -> float:
        return float(min(self.max_backoff, 2 ** max(0, quick_failures - 1)))

    def step(self) -> None:
        """Notice children that died; start again those whose back-off has passed."""
        now = self.clock()
        for child in self.children:
            if self.stopping:
                return
            if child.process is not None:
                status = child.process.poll()
                if status is None:
                    continue
                child.history.append(status)
                ran_for = now - child.started_at
                child.quick_failures = (
                    1 if ran_for >= self.stable_after else child.quick_failures + 1
                )
                delay = self.backoff(child.quick_failures)
                child.process, child.restart_at = None, now + delay
                self.log(
                    f"the {child.name} stopped (status {status}) after {ran_for:.0f} s; "
                    f"starting it again in {delay:.0f} s"
                )
            if child.restart_at is not None and now >= child.restart_at:
                self._start(child)
                child.restarts += 1
                self.log(f"the {child.name} is running again")

    def stop(self, grace: float = 20.0) -> None:
        self.stopping = True
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = self.clock() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def run(self, *, poll_every: float = 0.5) -> int:
        def on_signal(signum: int, frame: Any) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.start()
        try:
            while not self.stopping:
                self.step()
                time.sleep(poll_every)
        finally:
            self.stop()
        return 0
