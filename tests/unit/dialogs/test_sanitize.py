"""``dialogs.sanitize``: what the engine accepts from a channel before a turn runs."""

from __future__ import annotations

import pytest

from dialogs.sanitize import clean_incoming, clean_text
from dialogs.types import Incoming, IncomingKind, UserRef

USER = UserRef(channel="teams", tenant="t", user_id="u", email="a@b.example", name="Anna")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain", "plain"),
        ("emoji 🚦 stays", "emoji 🚦 stays"),
        ("\ud800", "\ufffd"),
        ("a\udc00b\ud83dc", "a\ufffdb\ufffdc"),
        ("", ""),
        ("a\x00b\x00", "a\ufffdb\ufffd"),
        ("tab\tand\nnewline\x01", "tab\tand\nnewline\x01"),
    ],
)
def test_clean_text_replaces_only_nul_and_lone_surrogates(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_a_clean_incoming_is_returned_as_is() -> None:
    inc = Incoming(
        user=USER,
        kind=IncomingKind.ACTION,
        action="t_save",
        args={"light": "2"},
        values={"remark": "Goed 🚦"},
    )
    assert clean_incoming(inc) is inc


def test_every_text_of_an_incoming_is_cleaned() -> None:
    user = UserRef(channel="slack", tenant="T\ud800", user_id="U\udfff", name="N\ud801")
    inc = Incoming(
        user=user,
        text="hal\ud800lo",
        args={"k\ud800": "v\udc00", "n": 3},  # type: ignore[dict-item]
        values={"remark": "r\ud800", "obj": {"x": 1}, "flag": True, "none": None},  # type: ignore[dict-item]
    )
    out = clean_incoming(inc)
    assert out.text == "hal\ufffdlo"
    assert dict(out.args) == {"k\ufffd": "v\ufffd", "n": "3"}
    assert dict(out.values) == {"remark": "r\ufffd"}
    assert (out.user.tenant, out.user.user_id, out.user.name) == ("T\ufffd", "U\ufffd", "N\ufffd")
    assert out.user.channel == "slack"
