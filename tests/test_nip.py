"""NIP: birth date · TMT CPNS · gender · sequence, each part checked and named when wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from sopctl.nip import Nip, NipError, parse_nip


def test_a_valid_nip_is_split_into_its_parts() -> None:
    nip = parse_nip("196210011987011015")
    assert nip == Nip(
        digits="196210011987011015",
        birth_date=dt.date(1962, 10, 1),
        appointed=(1987, 1),
        gender=1,
        sequence=15,
    )
    assert str(nip) == "196210011987011015"
    assert nip.spaced == "19621001 198701 1 015"


def test_the_spaced_form_reads_the_same() -> None:
    assert parse_nip("19621001 198701 1 015") == parse_nip("196210011987011015")
    assert parse_nip("  19730104 199703 2 001 ").gender == 2


def test_appointed_in_the_month_the_holder_turns_18_is_allowed() -> None:
    assert parse_nip("19621001 198010 1 015").appointed == (1980, 10)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "19621301 198701 1 015",
            'NIP "19621301 198701 1 015": the first 8 digits (19621301) must be a real birth date, YYYYMMDD',
        ),
        (
            "19620230 198701 1 015",
            'NIP "19620230 198701 1 015": the first 8 digits (19620230) must be a real birth date, YYYYMMDD',
        ),
        ("19000101 198701 1 015", 'NIP "19000101 198701 1 015": birth year 1900 is not plausible'),
        (
            "19621001 198713 1 015",
            'NIP "19621001 198713 1 015": digits 9-14 (198713) are the TMT CPNS year and month; '
            "month 13 does not exist",
        ),
        (
            "19621001 198700 1 015",
            'NIP "19621001 198700 1 015": digits 9-14 (198700) are the TMT CPNS year and month; '
            "month 00 does not exist",
        ),
        (
            "19621001 198009 1 015",
            'NIP "19621001 198009 1 015": TMT CPNS 1980-09 is before the holder turned 18 (born 1962-10-01)',
        ),
        ("19621001 198701 3 015", 'NIP "19621001 198701 3 015": digit 15 is the gender, 1 or 2, not 3'),
        ("19621001 198701 0 015", 'NIP "19621001 198701 0 015": digit 15 is the gender, 1 or 2, not 0'),
        (
            "19621001 198701 1 000",
            'NIP "19621001 198701 1 000": the last 3 digits, the sequence number, cannot be 000',
        ),
        ("19621001 198701 1 01", 'NIP "19621001 198701 1 01" has 17 digits; a NIP has 18'),
        ("19621001 198701 1 0150", 'NIP "19621001 198701 1 0150" has 19 digits; a NIP has 18'),
        (
            "1962100A 198701 1 015",
            'NIP "1962100A 198701 1 015": "A" at position 8 is not a digit; write only digits and spaces',
        ),
        (
            "19621001-198701-1-015",
            'NIP "19621001-198701-1-015": "-" at position 9 is not a digit; write only digits and spaces',
        ),
        (
            "１９６２１００１１９８７０１１０１５",
            'NIP "１９６２１００１１９８７０１１０１５": "１" at position 1 is not a digit; '
            "write only digits and spaces",
        ),
        ("", 'the NIP is empty: write its 18 digits, e.g. "19621001 198701 1 015"'),
        ("   ", 'the NIP is empty: write its 18 digits, e.g. "19621001 198701 1 015"'),
    ],
)
def test_each_error_names_the_wrong_part(text: str, message: str) -> None:
    with pytest.raises(NipError) as caught:
        parse_nip(text)
    assert str(caught.value) == message
