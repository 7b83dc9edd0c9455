"""npm packages the tests use, installed into a git-ignored cache folder (``.cache/npm``).

``make test`` installs them first (target ``npm-deps``); when a test runs without that, the
fixture installs them itself. Versions are pinned here and in the Makefile.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "npm"
PACKAGES = {
    "@microsoft/app-manifest": "1.1.2",
    "@microsoft/m365agentsplayground": "0.2.28",
    "adaptivecards": "3.0.6",  # the official Adaptive Cards SDK: parses and checks our cards
}


class NpmUnavailable(RuntimeError):
    pass


def package_dir(name: str) -> Path:
    """The installed package folder, installing the pinned versions when missing."""
    path = CACHE / "node_modules" / name
    if (path / "package.json").exists():
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable(
            "npm is not installed; it is needed for the Teams schema and e2e tests"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers may race here
        if not (path / "package.json").exists():
            specs = [f"{n}@{v}" for n, v in PACKAGES.items()]
            subprocess.run(
                [
                    npm,
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(CACHE),
                    *specs,
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
    return path
