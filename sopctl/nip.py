"""NIP: the 18-digit identity number of an Indonesian civil servant.

``19621001 198701 1 015`` = birth date (8) · TMT CPNS year and month (6) ·
gender (1 male, 2 female) · sequence (3). Written with or without the spaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sopctl.errors import UsageError

#: Civil servants are appointed (CPNS) at 18 at the earliest.
MIN_AGE_AT_APPOINTMENT = 18
EXAMPLE = "19621001 198701 1 015"


class NipError(UsageError):
    """A NIP that is not well formed; the message says which part is wrong."""


@dataclass(frozen=True, slots=True)
class Nip:
    digits: str
    birth_date: dt.date
    appointed: tuple[int, int]  # TMT CPNS (year, month)
    gender: int
    sequence: int

    @property
    def spaced(self) -> str:
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"

    def __str__(self) -> str:
        return self.digits


def parse_nip(text: str) -> Nip:
    """Read a NIP, spaced or not, and check each part.

    >>> parse_nip("19621001 198701 1 015").birth_date
    datetime.date(1962, 10, 1)
    """
    raw = str(text).strip()
    if not raw:
        raise NipError(f'the NIP is empty: write its 18 digits, e.g. "{EXAMPLE}"')
    wrong = next((i for i, c in enumerate(raw) if not (c in "0123456789" or c.isspace())), None)
    if wrong is not None:
        raise NipError(
            f'NIP "{raw}": "{raw[wrong]}" at position {wrong + 1} is not a digit; '
            "write only digits and spaces"
        )
    digits = "".join(raw.split())
    if len(digits) != 18:
        raise NipError(f'NIP "{raw}" has {len(digits)} digits; a NIP has 18')
    try:
        birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(
            f'NIP "{raw}": the first 8 digits ({digits[:8]}) must be a real birth date, YYYYMMDD'
        ) from None
    if birth.year < 1920:
        raise NipError(f'NIP "{raw}": birth year {birth.year} is not plausible')
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise NipError(
            f'NIP "{raw}": digits 9-14 ({digits[8:14]}) are the TMT CPNS year and month; '
            f"month {month:02d} does not exist"
        )
    if (year, month) < (birth.year + MIN_AGE_AT_APPOINTMENT, birth.month):
        raise NipError(
            f'NIP "{raw}": TMT CPNS {year}-{month:02d} is before the holder turned '
            f"{MIN_AGE_AT_APPOINTMENT} (born {birth.isoformat()})"
        )
    gender = int(digits[14])
    if gender not in (1, 2):
        raise NipError(f'NIP "{raw}": digit 15 is the gender, 1 or 2, not {gender}')
    sequence = int(digits[15:])
    if sequence == 0:
        raise NipError(f'NIP "{raw}": the last 3 digits, the sequence number, cannot be 000')
    return Nip(digits, birth, (year, month), gender, sequence)
