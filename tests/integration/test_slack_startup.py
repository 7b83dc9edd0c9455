"""``stoplicht serve`` and ``stoplicht worker`` as real processes with Slack settings: Socket Mode
(``SLACK_APP_TOKEN``) starts inside the running loop (the server answers, the worker runs and
stops on SIGTERM), and a signing secret without a token or OAuth settings is one line on stderr
and exit status 2, not a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

STOPLICHT = str(Path(sys.executable).with_name("stoplicht"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(sqlite_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "Microsoft", "STOPLICHT_"))
    }
    # Nothing listens on this port: the Socket Mode client keeps retrying, on loopback only.
    dead = f"http://127.0.0.1:{_free_port()}/api/"
    env.update(
        STOPLICHT_DATABASE_URL=sqlite_url,
        STOPLICHT_SLACK_API_URL=dead,
        STOPLICHT_SCHEDULER="0",
        **extra,
    )
    return env


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_signing_secret_alone_is_one_line(sqlite_url: str, command: str) -> None:
    args = [STOPLICHT, command] + (["--port", str(_free_port())] if command == "serve" else [])
    proc = subprocess.run(
        args,
        env=_env(sqlite_url, SLACK_SIGNING_SECRET="s3cret"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "SLACK_BOT_TOKEN" in lines[0] and "SLACK_CLIENT_ID" in lines[0]


SOCKET_MODE = dict(
    SLACK_SIGNING_SECRET="s3cret", SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-1-A1-test"
)


def _wait_until(check, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_serve_with_socket_mode_starts_and_answers(sqlite_url: str) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [STOPLICHT, "serve", "--port", str(port)],
        env=_env(sqlite_url, **SOCKET_MODE),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )

    def healthy() -> bool:
        if proc.poll() is not None:
            return True  # ended: the assertion below says how
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok
        except requests.ConnectionError:
            return False

    try:
        assert _wait_until(healthy)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    assert "no running event loop" not in err and "Traceback" not in err, err


def test_worker_with_socket_mode_settings_runs_and_stops(sqlite_url: str) -> None:
    proc = subprocess.Popen(
        [STOPLICHT, "worker"],
        env=_env(sqlite_url, **SOCKET_MODE),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if "worker" in line and "started" in line:
                break
        assert any("started" in line for line in seen), "".join(seen)
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=60)[1]
    assert proc.returncode == 0, "".join(seen) + rest
    assert "Traceback" not in "".join(seen) + rest
