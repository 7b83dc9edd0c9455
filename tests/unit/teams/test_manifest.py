"""The Teams app package: the filled manifest validates against the official schema (offline,
from the npm package ``@microsoft/app-manifest``), icons have the sizes Teams demands."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from bot.cli.main import main
from bot.teams.manifest import TEMPLATE_DIR, ManifestError, build_manifest
from tests.support.npm import package_dir

APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


@pytest.fixture(scope="module")
def schema() -> dict:
    version = json.loads((TEMPLATE_DIR / "manifest.json").read_text())["manifestVersion"]
    path = (
        package_dir("@microsoft/app-manifest")
        / f"build/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    )
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"domain": "stoplicht.school.nl"}, {"domain": "stoplicht.school.nl", "graph": True}],
)
def test_filled_manifest_is_valid(schema: dict, kwargs: dict) -> None:
    manifest = build_manifest(app_id=APP_ID, **kwargs)
    errors = sorted(Draft4Validator(schema).iter_errors(manifest), key=str)
    assert errors == [], [e.message for e in errors]
    bot = manifest["bots"][0]
    assert bot["botId"] == APP_ID and manifest["id"] == APP_ID
    assert bot["scopes"] == ["personal"]
    assert bot["supportsFiles"] is True  # the report PDF goes through the file consent flow
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert {"feedback", "help", "plan", "mentor"} <= set(titles)
    assert ("webApplicationInfo" in manifest) == bool(kwargs.get("graph"))


def test_the_schema_catches_a_broken_manifest(schema: dict) -> None:
    manifest = build_manifest(app_id=APP_ID)
    manifest["bots"][0]["scopes"] = ["everywhere"]
    del manifest["icons"]
    assert len(list(Draft4Validator(schema).iter_errors(manifest))) >= 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"app_id": "not-a-guid"},
        {"app_id": APP_ID, "teams_app_id": "x"},
        {"app_id": APP_ID, "domain": "http://x y"},
    ],
)
def test_bad_ids_and_domains_are_refused(kwargs: dict) -> None:
    with pytest.raises(ManifestError):
        build_manifest(**kwargs)


def _png(path_or_bytes: bytes) -> tuple[int, int, int, list[int]]:
    data = path_or_bytes
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, ihdr = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if tag == b"IHDR":
            ihdr = body
        elif tag == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", ihdr[:10])
    assert depth == 8
    raw = zlib.decompress(idat)
    alphas = []
    if color == 6:
        stride = width * 4 + 1
        for y in range(height):
            row = raw[y * stride + 1 : (y + 1) * stride]
            assert raw[y * stride] == 0  # no filter (as written by draw_icons)
            alphas.extend(row[3::4])
    return width, height, color, alphas


def test_icons() -> None:
    w, h, _, alphas = _png((TEMPLATE_DIR / "color.png").read_bytes())
    assert (w, h) == (192, 192) and min(alphas) == 255  # full-bleed colour icon
    w, h, color, alphas = _png((TEMPLATE_DIR / "outline.png").read_bytes())
    assert (w, h, color) == (32, 32, 6)
    assert 0 in alphas and 255 in alphas  # transparent background, white drawing


def test_cli_writes_the_zip(tmp_path: Path, schema: dict) -> None:
    out = tmp_path / "pkg" / "stoplicht.zip"
    with pytest.raises(SystemExit) as done:
        main(["manifest", "teams", "--app-id", APP_ID, "--out", str(out)])
    assert done.value.code == 0
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(z.read("manifest.json"))
    assert list(Draft4Validator(schema).iter_errors(manifest)) == []


def test_cli_refuses_a_bad_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["manifest", "teams", "--app-id", "nope", "--out", str(tmp_path / "x.zip")])
    assert done.value.code == 2
    assert "GUID" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
