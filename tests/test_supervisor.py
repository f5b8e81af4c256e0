"""``serve`` supervises its children: a dead worker is started again, with back-off, and the web
server keeps serving; only a signal to serve stops them all."""

from __future__ import annotations

from socialguard.supervisor import Child, Supervisor


class FakeProcess:
    pids = iter(range(100, 10_000))

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.pid = next(self.pids)
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def die(self, status: int = -9) -> None:
        self.returncode = status

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15

    def kill(self) -> None:
        self.returncode = -9

    def wait(self, timeout: float | None = None) -> int:
        assert self.returncode is not None
        return self.returncode


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _supervisor() -> tuple[Supervisor, Clock, list[FakeProcess]]:
    clock = Clock()
    spawned: list[FakeProcess] = []

    def spawn(argv: list[str]) -> FakeProcess:
        spawned.append(FakeProcess(argv))
        return spawned[-1]

    children = [Child("worker", ["worker"]), Child("web server", ["gunicorn"])]
    supervisor = Supervisor(children, spawn=spawn, clock=clock, log=lambda line: None)
    supervisor.start()
    return supervisor, clock, spawned


def test_a_killed_worker_is_started_again_and_the_web_server_is_left_alone() -> None:
    supervisor, clock, spawned = _supervisor()
    worker, web = spawned
    worker.die(-9)
    supervisor.step()
    assert not web.terminated and web.poll() is None
    assert len(spawned) == 2  # not yet: the back-off first
    clock.now += 1
    supervisor.step()
    assert [p.argv for p in spawned] == [["worker"], ["gunicorn"], ["worker"]]
    assert supervisor.children[0].process is spawned[2] and not web.terminated


def test_back_off_doubles_on_quick_failures_and_resets_after_a_stable_run() -> None:
    supervisor, clock, spawned = _supervisor()
    delays = []
    for _ in range(7):
        spawned[-2 if len(spawned) == 2 else -1].die(1)
        supervisor.step()
        restart_at = supervisor.children[0].restart_at
        assert restart_at is not None
        delays.append(restart_at - clock.now)
        clock.now = restart_at
        supervisor.step()
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    clock.now += 61  # ran for more than a minute: the next failure starts over
    spawned[-1].die(1)
    supervisor.step()
    assert supervisor.children[0].restart_at == clock.now + 1


def test_the_web_server_is_restarted_too() -> None:
    supervisor, clock, spawned = _supervisor()
    spawned[1].die(1)
    supervisor.step()
    clock.now += 1
    supervisor.step()
    assert spawned[-1].argv == ["gunicorn"] and spawned[0].poll() is None


def test_only_a_signal_stops_everything() -> None:
    supervisor, _, spawned = _supervisor()
    supervisor.stopping = True  # what SIGTERM / SIGINT set
    spawned[0].die(-2)
    supervisor.step()
    supervisor.stop()
    assert len(spawned) == 2 and spawned[1].terminated
