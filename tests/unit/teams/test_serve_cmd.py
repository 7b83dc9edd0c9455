"""``stoplicht serve``: anonymous only on loopback; starts and answers /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import requests

from bot.cli.serve_cmd import is_loopback


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("Microsoft", "CONNECTIONS__", "STOPLICHT_TEAMS_SDK"))
    }
    env.update(extra)
    return env


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert (
        not is_loopback("0.0.0.0")
        and not is_loopback("10.0.0.5")
        and not is_loopback("example.org")
    )


def test_refuses_anonymous_on_a_public_address(sqlite_url: str, teams_sdk: str) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli.main",
            "serve",
            "--host",
            "0.0.0.0",
            "--database-url",
            sqlite_url,
        ],
        env=_env(STOPLICHT_TEAMS_SDK=teams_sdk),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "refusing" in lines[0] and "MicrosoftAppId" in lines[0]


def test_an_unknown_teams_sdk_is_one_clear_line(sqlite_url: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "serve", "--database-url", sqlite_url],
        env=_env(STOPLICHT_TEAMS_SDK="botkit"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "STOPLICHT_TEAMS_SDK" in lines[0] and "Traceback" not in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serves_anonymous_on_loopback(sqlite_url: str, teams_sdk: str) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli.main",
            "serve",
            "--port",
            str(port),
            "--database-url",
            sqlite_url,
        ],
        env=_env(STOPLICHT_TEAMS_SDK=teams_sdk),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert r.json() == {"status": "ok"}
        bad = requests.post(
            f"http://127.0.0.1:{port}/api/messages", json={"type": "message"}, timeout=5
        )
        assert bad.status_code == 400
        hello = requests.post(
            f"http://127.0.0.1:{port}/api/messages",
            json={
                "type": "typing",
                "id": "m-1",
                "channelId": "msteams",
                "serviceUrl": "http://127.0.0.1:9/",
                "from": {"id": "29:someone"},
                "conversation": {"id": "a:c", "conversationType": "personal"},
                "recipient": {"id": "28:bot"},
            },
            timeout=30,
        )
        assert hello.status_code == 201, hello.text  # anonymous on loopback: taken, nothing to say
    finally:
        proc.terminate()
        proc.wait(10)
