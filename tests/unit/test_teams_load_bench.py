"""Smoke run of ``bench/teams_load.py`` at a tiny size, so a change that breaks it fails the
build: one teacher, two presses, SQLite, one ``stoplicht serve`` process and the echo bot."""

from __future__ import annotations

from bench import teams_load


def test_teams_load_bench_runs_end_to_end(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in teams_load.SMOKE.items():
        monkeypatch.setattr(teams_load, name, value)
    rows = dict(teams_load.run())
    assert float(rows["sqlite 1p N=1 turns/s"].split()[0]) > 0
    assert rows["sqlite 1p N=1 press p50/p95/p99"].endswith(")")
    cpu = rows["sqlite 1p N=1 CPU per turn"]
    assert float(cpu.split()[0]) > 0 and "echo" in cpu


def test_a_server_that_logs_a_lot_is_not_blocked_by_the_bench(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The bench reads the servers' stderr as it comes: a server logging more than a pipe
    holds (64 KiB) must not block in the write (it did: the event loop stalled mid-run)."""
    import sys
    import time

    port = teams_load._free_port()
    done = tmp_path / "done"
    child = (
        "import socket, sys\n"
        f"s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen()\n"
        "for _ in range(4000):\n"
        "    sys.stderr.write('INFO aiohttp.access: ' + 'x' * 250 + chr(10))\n"
        "sys.stderr.flush()\n"
        f"open({str(done)!r}, 'w').close()\n"
        "s.accept()\n"
    )
    with teams_load.process([sys.executable, "-c", child], {}, port):
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert done.exists()  # 1 MB written without anyone waiting on the pipe


def test_a_prepared_template_gives_the_activity_load_gives() -> None:
    """The bench builds each press from a ``Template``: the same JSON as the fixture filled in
    by ``load``, also for values JSON must escape."""
    import json

    from tests.integration.teams.activities import load

    fixed = {
        "SERVICE_URL": "http://127.0.0.1:1/connector/",
        "USER_ID": "29:load0",
        "USER_NAME": "t@school.example",
        "AAD_ID": "aad-load-0",
        "TENANT": "tenant",
        "CONVERSATION_ID": "a:load0",
        "APP_ID": "app",
        "REPLY_TO_ID": "x",
    }
    data = {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 7}}
    presses = [
        ("invoke_execute", {"ACTIVITY_ID": "1", "VERB": "t_save", "DATA": data}),
        ("invoke_execute", {"ACTIVITY_ID": "2", "VERB": 'a"b\\', "DATA": {"remark": "é\n@@"}}),
        ("message", {"ACTIVITY_ID": "3"}),
    ]
    for name, values in presses:
        template = teams_load.Template(name, **fixed)
        assert json.loads(template.body(**values)) == load(name, **fixed, **values), name


def test_the_scaling_measurement_runs_one_and_two_processes_in_turns(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two servers on one database (SQLite here, to stay small): the teachers press against
    one of them and against both, in turns; both get figures, and their ratio is printed."""
    for name, value in teams_load.SCALING_SMOKE.items():
        monkeypatch.setattr(teams_load, name, value)
    monkeypatch.setattr(teams_load, "CONFIGS", (("sqlite", 2),))
    rows = dict(teams_load.run())
    one, two = rows["sqlite 1p N=2 turns/s"], rows["sqlite 2p N=2 turns/s"]
    assert float(one.split()[0]) > 0 and float(two.split()[0]) > 0
    assert rows["sqlite 2p/1p turns at N=2"].endswith("x")
    assert "echo" in rows["sqlite 2p N=2 CPU per turn"]
