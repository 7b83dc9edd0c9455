"""A throwaway PostgreSQL cluster on a temp dir, listening on 127.0.0.1 only.

Used by the test suite (and the benchmarks) when ``STOPLICHT_TEST_PG_URL`` is not given.
Needs Debian's ``postgresql`` package (``tests/ensure-postgres.sh`` installs it). As root the
server runs as the ``postgres`` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL server binaries not found: run `bash tests/ensure-postgres.sh` "
            "(installs Debian's postgresql package)"
        )
    return Path(candidates[0]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    datadir: Path
    port: int
    bindir: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def restart(self) -> None:
        """Stop the server (``fast``: every session is terminated at once, what is committed
        stays; an ``immediate`` stop would lose the last commits of this cluster, which does
        not wait for its WAL) and start it again on the same port and data: every client
        connection is lost."""
        r = subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "fast",
                "-l",  # the server's output to its log: a pipe it holds would never close
                str(self.datadir.parent / "log"),
                "-w",
                "-t",
                "60",
                "restart",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if r.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl restart failed: {r.stderr.strip()}")

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_cluster() -> Cluster:
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="stoplicht-pg-"))
    datadir = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres", group="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    run = lambda *a: subprocess.run([*as_user, *a], capture_output=True, text=True)  # noqa: E731
    r = run(
        str(bindir / "initdb"),
        "-D",
        str(datadir),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--locale=C",
    )
    if r.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {r.stderr.strip()}")
    opts = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=200"
    )
    r = run(
        str(bindir / "pg_ctl"),
        "-D",
        str(datadir),
        "-o",
        opts,
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "60",
        "start",
    )
    if r.returncode != 0:
        log = (base / "log").read_text() if (base / "log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {r.stderr.strip()} {log[-500:]}")
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return Cluster(datadir=datadir, port=port, bindir=bindir, as_user=as_user)
