"""Teams under load over HTTP: N teachers walking at once through ``stoplicht serve``.

Each simulated teacher opens their group in their own personal chat and saves a light with a
remark and an action for one student after another (``Action.Execute`` presses, JWT
authentication on against the loopback OpenID/JWKS fake, replies to the loopback Bot
Connector fake of the tests). The server runs as real processes (``stoplicht serve``, the
scheduler off). With two processes on PostgreSQL the teachers press against one of them, then
spread over both, in turns: both figures come from the same servers in the same minutes (see
``CONFIGS``), so the ratio of the two is not the drift of a shared machine. Beside it,
in the same run, a bare botbuilder echo bot process (``bench/support/echo_server.py``) gets
the same presses: the ratio of CPU per turn is what Stoplicht adds to the SDK's own floor.

Printed per configuration (SQLite one process; PostgreSQL one and two processes) and per
number of teachers: turns per second, p50/p95/p99 of a press (until the next card reached the
connector), CPU milliseconds per turn of the server processes, the time their threads waited
for a CPU per turn (with the machine's load average: on a shared machine the latency is mostly
that wait), the CPU milliseconds per turn of the bench process itself (the simulated teachers
and the fake connector) and of the whole machine (``/proc/stat``: every process, also the
database and whatever else runs), so it shows where the cores went, and the echo bot's figures.

``run()`` is what ``make bench`` calls (sizes in the constants below, ``SMOKE`` for a tiny
run); ``STOPLICHT_BENCH_TEAMS_LOAD="8 12"`` limits the teachers (space-separated) and sets
the presses per teacher (the last number).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from bench.teams_latency import ACTION, REMARK, TENANT, build_school
from tests.integration.teams.activities import load
from tests.support import pg
from tests.support.bot_framework import FakeBotFramework

TEACHER_COUNTS = (1, 8, 32)
PRESSES = 12  # per teacher and measurement; a teaching group has 25 students
# backend, server processes. With 2 processes the teachers are sent to one of them, then spread
# over both, in turns (``SLICES`` of each, ``PRESSES`` split over them): the one and the two
# process figures come from the same servers in the same minutes, so a machine whose speed
# drifts (a shared host) moves both alike and the ratio of the two holds.
CONFIGS = (("sqlite", 1), ("postgresql", 2))
SLICES = 3
SMALL = False  # True: a school of 200 students instead of 2,000
SMOKE = {"TEACHER_COUNTS": (1,), "PRESSES": 2, "CONFIGS": (("sqlite", 1),), "SMALL": True}
SCALING_SMOKE = {"TEACHER_COUNTS": (2,), "PRESSES": 2, "SLICES": 2, "SMALL": True}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def runqueue_seconds(pid: int) -> float:
    """Time the threads of a process spent ready to run but waiting for a CPU (Linux
    ``/proc/<pid>/task/*/schedstat``, second field): with more work than cores, a turn's
    latency is its CPU time plus this. Threads that ended meanwhile are not counted."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Teacher:
    email: str
    user_id: str
    aad_id: str
    conversation_id: str
    url: str = ""
    card: dict[str, Any] | None = None


class Template:
    """An activity fixture for one teacher, as JSON text cut where a press puts its own values
    (``VARYING``): a press joins the pieces with those values as JSON, instead of loading the
    fixture and filling it in again. The same activity as ``load(name, ...)`` gives."""

    VARYING = ("ACTIVITY_ID", "VERB", "DATA")
    _MARK = re.compile(r'"@@(' + "|".join(VARYING) + r')@@"')

    def __init__(self, name: str, **fixed: Any) -> None:
        marks = {key: f"@@{key}@@" for key in self.VARYING}
        pieces = self._MARK.split(json.dumps(load(name, **fixed, **marks)))
        if any(f"@@{key}@@" in pieces[i] for i in range(0, len(pieces), 2) for key in marks):
            raise ValueError(f"{name}: a varying value inside a longer string")
        self.texts = pieces[0::2]
        self.keys = pieces[1::2]

    def body(self, **values: Any) -> bytes:
        out = [self.texts[0]]
        for key, piece in zip(self.keys, self.texts[1:], strict=True):
            out += [json.dumps(values[key]), piece]
        return "".join(out).encode()


class Client:
    """The presses of simulated teachers, each in their own chat, read back from the fake.

    Cheap per press, so the bench takes little of the cores it shares with the servers: the
    body from a prepared ``Template``, one kept-alive ``http.client`` connection per thread and
    server, and the cards that arrive sorted by conversation as the fake records them
    (``FakeBotFramework.on_sent``), so a teacher waits for their own chat only."""

    def __init__(self, fake: FakeBotFramework) -> None:
        self.fake = fake
        self.token = fake.token(exp=int(time.time()) + 6 * 3600)
        self.headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
        }
        self.local = threading.local()
        self._templates: dict[tuple[str, str], Template] = {}
        self._lock = threading.Lock()
        self._sent: dict[str, list[dict[str, Any]]] = {}  # conversation → bodies sent to it
        self._arrived: dict[str, threading.Condition] = {}
        fake.on_sent = self._record

    def _record(self, rec: Any) -> None:
        with self._lock:
            self._sent.setdefault(rec.conversation_id, []).append(rec.body)
            waiting = self._arrived.get(rec.conversation_id)
            if waiting is not None:
                waiting.notify_all()

    def _template(self, t: Teacher, name: str) -> Template:
        key = (name, t.conversation_id)
        found = self._templates.get(key)
        if found is None:
            found = self._templates[key] = Template(
                name,
                SERVICE_URL=self.fake.service_url,
                USER_ID=t.user_id,
                USER_NAME=t.email,
                AAD_ID=t.aad_id,
                TENANT=TENANT,
                CONVERSATION_ID=t.conversation_id,
                APP_ID=self.fake.app_id,
                REPLY_TO_ID="x",
            )
        return found

    def _connection(self, url: str, fresh: bool = False) -> http.client.HTTPConnection:
        conns: dict[str, http.client.HTTPConnection] = self.local.__dict__.setdefault("c", {})
        conn = conns.get(url)
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            parts = urlsplit(url)
            conn = conns[url] = http.client.HTTPConnection(
                parts.hostname or "127.0.0.1", parts.port, timeout=120
            )
        return conn

    def post(self, t: Teacher, name: str, **subs: Any) -> None:
        values = {"ACTIVITY_ID": uuid.uuid4().hex, "VERB": "", "DATA": {}, **subs}
        body = self._template(t, name).body(**values)
        for attempt in (1, 2):
            conn = self._connection(t.url, fresh=attempt == 2)
            try:
                conn.request("POST", "/api/messages", body, self.headers)
                response = conn.getresponse()
                response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                # a kept-alive connection the server closed meanwhile: once more, anew (the
                # same activity id: a server that got it does nothing the second time)
                if attempt == 2:
                    raise
                continue
            if response.status >= 400:
                raise RuntimeError(f"{t.url}: {response.status} {response.reason}")
            return

    def cards(self, t: Teacher) -> int:
        with self._lock:
            return len(self._sent.get(t.conversation_id, ()))

    def wait_card(self, t: Teacher, seen: int) -> dict[str, Any]:
        deadline = time.monotonic() + 120
        cid = t.conversation_id
        with self._lock:
            arrived = self._arrived.setdefault(cid, threading.Condition(self._lock))
            while len(self._sent.get(cid, ())) <= seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no reply for {t.email}")
                arrived.wait(left)
            atts = self._sent[cid][-1].get("attachments") or [{}]
        return atts[-1].get("content") or {}

    def press(self, t: Teacher, button: dict[str, Any], **inputs: str) -> dict[str, Any]:
        seen = self.cards(t)
        data = dict(button["data"], **inputs)
        self.post(t, "invoke_execute", VERB=button["verb"], DATA=data)
        return self.wait_card(t, seen)


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        a
        for b in card.get("body", [])
        if b.get("type") == "ActionSet"
        for a in b["actions"]
        if isinstance(a.get("data"), dict) and "stoplicht" in a["data"]
    ]


def open_group(client: Client, t: Teacher) -> None:
    seen = client.cards(t)
    client.post(t, "message", text="feedback")
    card = client.wait_card(t, seen)
    group = [a for a in _actions(card) if a["data"]["stoplicht"]["action"] == "t_group"]
    if group:
        card = client.press(t, group[0])
    t.card = card


def save_next(client: Client, t: Teacher) -> None:
    assert t.card is not None
    save = [
        a for a in _actions(t.card) if a["data"]["stoplicht"].get("args", {}).get("light") == "2"
    ]
    if not save:
        raise RuntimeError(f"not a student card: {str(t.card)[:400]}")
    t.card = client.press(t, save[0], remark=REMARK, action=ACTION)


def echo_press(client: Client, t: Teacher) -> None:
    button = {
        "verb": "t_save",
        "data": {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 1}},
    }
    client.press(t, button, remark=REMARK, action=ACTION)


@dataclass(frozen=True)
class Figures:
    turns: int
    wall: float
    cpu: float
    latencies: list[float]
    waiting: float = 0.0  # seconds the server's threads waited for a CPU
    load: float = 0.0  # the machine's 1-minute load average when the measurement ended
    client: float = 0.0  # CPU seconds of this process (the teachers and the fake connector)
    busy: float = 0.0  # CPU seconds the whole machine was busy (every process, /proc/stat)

    def pct(self, p: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000

    @property
    def per_second(self) -> float:
        return self.turns / self.wall

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.turns * 1000

    @property
    def waiting_ms(self) -> float:
        return self.waiting / self.turns * 1000

    @property
    def client_ms(self) -> float:
        return self.client / self.turns * 1000

    @property
    def busy_ms(self) -> float:
        return self.busy / self.turns * 1000


def combined(parts: list[Figures]) -> Figures:
    """Several measurements of the same setup as one."""
    return Figures(
        turns=sum(f.turns for f in parts),
        wall=sum(f.wall for f in parts),
        cpu=sum(f.cpu for f in parts),
        latencies=[x for f in parts for x in f.latencies],
        waiting=sum(f.waiting for f in parts),
        load=max(f.load for f in parts),
        client=sum(f.client for f in parts),
        busy=sum(f.busy for f in parts),
    )


def busy_seconds() -> float:
    """CPU seconds the machine spent busy so far, over all cores (``/proc/stat``: all time
    but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


def measure(walkers: list[Teacher], presses: int, step: Any, pids: list[int]) -> Figures:
    latencies: list[float] = []

    def walk(t: Teacher) -> None:
        for _ in range(presses):
            start = time.perf_counter()
            step(t)
            latencies.append(time.perf_counter() - start)

    cpu0 = sum(cpu_seconds(p) for p in pids)
    wait0 = sum(runqueue_seconds(p) for p in pids)
    me0, busy0 = cpu_seconds(os.getpid()), busy_seconds()
    start = time.perf_counter()
    with ThreadPoolExecutor(len(walkers)) as pool:
        list(pool.map(walk, walkers))
    wall = time.perf_counter() - start
    me, busy = cpu_seconds(os.getpid()) - me0, busy_seconds() - busy0
    cpu = sum(cpu_seconds(p) for p in pids) - cpu0
    waiting = max(sum(runqueue_seconds(p) for p in pids) - wait0, 0.0)
    return Figures(
        turns=len(latencies),
        wall=wall,
        cpu=cpu,
        latencies=latencies,
        waiting=waiting,
        load=os.getloadavg()[0],
        client=me,
        busy=busy,
    )


@contextmanager
def process(args: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=Path.cwd()
    )
    # The server logs a line per request (aiohttp's access log): a pipe nobody reads fills
    # after a few hundred turns and the server's event loop then blocks in the write. Read it
    # as it comes and keep the tail for an error message.
    tail: deque[bytes] = deque(maxlen=200)
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: tail.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    reader.join(2)
                    err = b"".join(tail).decode(errors="replace")
                    raise RuntimeError(f"{args[0]} did not start: {err[-2000:]}") from None
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
        yield f"sqlite:///{tmp / 'bench.sqlite'}"
        return
    admin = os.environ.get("STOPLICHT_TEST_PG_URL")
    cluster = None
    if not admin:
        cluster = pg.start_cluster()
        admin = cluster.url
    name = f"load_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if cluster is not None:
            cluster.stop()


def run_config(
    backend: str, processes: int, counts: tuple[int, ...], presses: int, *, small: bool = False
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with database(backend) as url:
        now = datetime.now(UTC)
        emails = build_school(url, now=now, deadline=now + timedelta(days=30), small=small)
        fake = FakeBotFramework(
            members={
                f"29:load{i}": {"id": f"29:load{i}", "email": e, "userPrincipalName": e}
                for i, e in enumerate(emails)
            }
        ).start()
        env = {**os.environ, **fake.env(), "STOPLICHT_SCHEDULER": "0", "PYTHONUNBUFFERED": "1"}
        env.pop("STOPLICHT_DEMO", None)
        bin_dir = Path(sys.executable).parent
        ports = [_free_port() for _ in range(processes)]
        echo_port = _free_port()
        try:
            with (
                _servers(bin_dir, url, env, ports) as pids,
                process(
                    [sys.executable, "-m", "bench.support.echo_server", "--port", str(echo_port)],
                    env,
                    echo_port,
                ) as echo,
            ):
                client = Client(fake)
                teachers = [
                    Teacher(e, f"29:load{i}", f"aad-load-{i}", f"a:load{i}")
                    for i, e in enumerate(emails)
                ]
                used = 0
                for n in counts:
                    walkers = teachers[used : used + n]
                    used += n
                    if len(walkers) < n:
                        break
                    for t in walkers:
                        t.url = f"http://127.0.0.1:{ports[0]}"
                        open_group(client, t)
                        save_next(client, t)  # warm: the first save of each teacher
                    by_processes = _measure_servers(client, walkers, presses, ports, pids)
                    for t in walkers:
                        t.url = f"http://127.0.0.1:{echo_port}"
                    echo_press(client, walkers[0])
                    base = measure(walkers, presses, lambda t: echo_press(client, t), [echo.pid])
                    for used_processes, bot in by_processes.items():
                        rows += _rows(f"{backend} {used_processes}p N={n}", bot, base)
        finally:
            fake.stop()
    return rows


def _measure_servers(
    client: Client, walkers: list[Teacher], presses: int, ports: list[int], pids: list[int]
) -> dict[int, Figures]:
    """The walkers' presses against one server process, and (with more ports) against all of
    them in turns with one: figures per number of processes used."""
    if len(ports) == 1:
        return {1: measure(walkers, presses, lambda t: save_next(client, t), pids)}
    slices = max(1, min(SLICES, presses // 2))
    parts: dict[int, list[Figures]] = {1: [], len(ports): []}
    for k in range(slices):
        share = presses // slices + (1 if k < presses % slices else 0)
        for used in parts:
            for i, t in enumerate(walkers):
                t.url = f"http://127.0.0.1:{ports[i % used]}"
            parts[used].append(measure(walkers, share, lambda t: save_next(client, t), pids))
    return {used: combined(figures) for used, figures in parts.items()}


def _rows(label: str, bot: Figures, base: Figures) -> list[tuple[str, str]]:
    return [
        (f"{label} turns/s", f"{bot.per_second:.1f} (echo {base.per_second:.1f})"),
        (
            f"{label} press p50/p95/p99",
            f"{bot.pct(50):.0f}/{bot.pct(95):.0f}/{bot.pct(99):.0f} ms "
            f"(echo {base.pct(50):.0f}/{base.pct(95):.0f}/{base.pct(99):.0f})",
        ),
        (
            f"{label} CPU per turn",
            f"{bot.cpu_ms:.1f} ms (echo {base.cpu_ms:.1f} ms, "
            f"{bot.cpu_ms / max(base.cpu_ms, 1e-6):.2f}x)",
        ),
        (
            f"{label} bench and machine CPU per turn",
            f"bench process {bot.client_ms:.1f} ms, machine busy "
            f"{bot.busy_ms:.1f} ms, {bot.busy / bot.wall:.2f} of "
            f"{os.cpu_count()} cores (echo {base.client_ms:.1f} ms, "
            f"{base.busy_ms:.1f} ms)",
        ),
        (
            f"{label} waiting for a CPU per turn",
            f"{bot.waiting_ms:.1f} ms (echo {base.waiting_ms:.1f} ms; "
            f"load average {bot.load:.1f} on {os.cpu_count()} cores)",
        ),
    ]


@contextmanager
def _servers(bin_dir: Path, url: str, env: dict[str, str], ports: list[int]) -> Iterator[list[int]]:
    stack: list[Any] = []
    pids: list[int] = []
    try:
        for port in ports:
            cm = process(
                [str(bin_dir / "stoplicht"), "serve", "--port", str(port), "--database-url", url],
                env,
                port,
            )
            pids.append(cm.__enter__().pid)
            stack.append(cm)
        yield pids
    finally:
        for cm in reversed(stack):
            cm.__exit__(None, None, None)


def run() -> list[tuple[str, str]]:
    spec = os.environ.get("STOPLICHT_BENCH_TEAMS_LOAD", "").split()
    counts = tuple(int(x) for x in spec[:-1]) if len(spec) > 1 else TEACHER_COUNTS
    presses = int(spec[-1]) if spec else PRESSES
    rows: list[tuple[str, str]] = []
    for backend, procs in CONFIGS:
        got = run_config(backend, procs, counts, presses, small=SMALL)
        rows += got
        if procs > 1:
            rows += _scaling(got, backend, procs)
    rows.append(("cores", str(os.cpu_count())))
    return rows


def _scaling(rows: list[tuple[str, str]], backend: str, procs: int) -> list[tuple[str, str]]:
    """The turns of ``procs`` processes against one's, per number of teachers."""
    turns = {name: float(value.split()[0]) for name, value in rows if name.endswith(" turns/s")}
    out = []
    for name, one in turns.items():
        if name.startswith(f"{backend} 1p "):
            n = name.split()[2]
            more = turns.get(f"{backend} {procs}p {n} turns/s")
            if more is not None and one > 0:
                out.append((f"{backend} {procs}p/1p turns at {n}", f"{more / one:.2f}x"))
    return out


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:45s} {value}")
