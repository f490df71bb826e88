"""Events' stored form: UTC text that sorts and reads back, and hashes that cover everything."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sopctl.run.events import DONE, Actor, Event, parse_utc, utc_text

ZONES = [ZoneInfo(name) for name in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC")]


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.sampled_from(ZONES)
    )
)
def test_utc_text_reads_back_as_the_same_instant_to_the_second(moment: dt.datetime) -> None:
    text = utc_text(moment)
    assert len(text) == 20 and text.endswith("Z")
    # Against UTC: PEP 495 makes a local time in a gap unequal to every time in another zone.
    assert parse_utc(text) == moment.astimezone(dt.UTC).replace(microsecond=0)


def test_utc_text_pads_years_as_iso_8601_does() -> None:
    assert utc_text(dt.datetime(999, 1, 1, tzinfo=dt.UTC)) == "0999-01-01T00:00:00Z"
    wit = dt.datetime(2026, 3, 2, 8, 0, 5, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert utc_text(wit) == "2026-03-01T23:00:05Z"


def test_a_sealed_event_carries_the_data_it_was_sealed_with_and_its_hash_covers_it() -> None:
    at = dt.datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    draft = Event("PDK-2026-0001", DONE, at, at, step=1, actor=Actor("p"), data={"note": "a"})
    event = draft.sealed(2, "f" * 64, {"note": "b"})
    assert (event.seq, event.prev_hash, event.data) == (2, "f" * 64, {"note": "b"})
    assert event.hash == event.computed_hash()
    assert event.hash != draft.sealed(2, "f" * 64).hash  # the draft's own data: another hash
    assert draft.sealed(2, "f" * 64).data == {"note": "a"}
