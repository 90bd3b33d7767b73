"""Validators for the standard formats that forms ask for.

Every validator takes one value and returns ``True`` or ``False``; it never raises, and anything
that is not a ``str`` is invalid. Values are NFKC-normalised first (full-width digits and letters
become ASCII) and surrounding whitespace is ignored. ``VALIDATORS`` maps each format name used by
the field catalog to its validator; :func:`validate` looks one up by name.

Decisions worth knowing:

* ``citizen-id``: a lower-case ``x`` check character is accepted and read as ``X``.
* ``uscc``: the organization code in positions 9-17 is checked against GB 11714 only on request
  (``is_valid_uscc(value, check_organization_code=True)``); the registry checks GB 32100 alone.
* ``vin``: the check digit (position 9) is required, as GB 16735 and 49 CFR 565 require it;
  VINs of some European-market vehicles carry none and need ``require_check_digit=False``.
* ``postal-code``: six digits, not starting with 9 and not with 00 (no postal area uses them).
* ``plate``: ordinary, new-energy and 学/警/挂/领/港/澳 plates; embassy, military and emergency
  plates are not covered.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "CITIZEN_ID_PREFIXES",
    "DEFAULT_EARLIEST_BIRTH_YEAR",
    "FORMAT_SAMPLES",
    "PROVINCE_CODES",
    "USCC_CHARSET",
    "VALIDATORS",
    "CitizenIdInfo",
    "citizen_id_check_char",
    "detect_date_format",
    "format_date",
    "is_valid_citizen_id",
    "is_valid_date",
    "is_valid_email",
    "is_valid_mobile",
    "is_valid_phone",
    "is_valid_plate",
    "is_valid_postal_code",
    "is_valid_region_code",
    "is_valid_uscc",
    "is_valid_vin",
    "make_citizen_id",
    "make_uscc",
    "make_vin",
    "normalize_mobile",
    "organization_code_check_char",
    "parse_citizen_id",
    "parse_date",
    "upgrade_citizen_id_15_to_18",
    "uscc_check_char",
    "validate",
    "vin_check_digit",
]

#: Province-level codes of GB/T 2260 (first two digits of an administrative division code).
PROVINCE_CODES: frozenset[str] = frozenset(
    str(n)
    for r in ((11, 16), (21, 24), (31, 38), (41, 47), (50, 55), (61, 66), (71, 72), (81, 83))
    for n in range(*r)
)
#: Prefixes accepted in ID numbers: GB/T 2260 provinces, 83 (residence permits of Taiwan
#: residents) and 91 (permanent residence ID cards of foreigners).
CITIZEN_ID_PREFIXES: frozenset[str] = PROVINCE_CODES | {"83", "91"}
DEFAULT_EARLIEST_BIRTH_YEAR = 1850
"""ID numbers with a birth date before this year are rejected as implausible."""

_CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CITIZEN_ID_CHECK = "10X98765432"  # ISO 7064 MOD 11-2: check char indexed by sum mod 11

#: Characters of a unified social credit code (GB 32100: no I, O, Z, S, V).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities: 1 institutional staffing, 2 foreign affairs, 3 justice, 4 culture,
# 5 civil affairs, 6 tourism, 7 religion, 8 trade unions, 9 market regulation, A military,
# N agriculture, Y other.
_USCC_AUTHORITIES = "123456789ANY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_VIN_CHARSET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
# ISO 3779 transliteration: letters count 1-9 in runs A-H, J-N, P, R, S-Z.
_VIN_VALUES = dict(zip(_VIN_CHARSET, map(int, "012345678912345678123457923456789"), strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"

_SEPARATORS = re.compile(r"[\s\-·•・]")
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})", re.ASCII)
_AREA = r"(?:10|2\d|[3-9]\d\d)"  # area code without its leading 0
_PHONE = re.compile(
    rf"(?:(?:\+|00)86[\s-]?\(?0?{_AREA}\)?|\(0{_AREA}\)|0{_AREA})[\s-]?"  # area code
    r"[2-9]\d{2,3}[\s-]?\d{4}"  # 7- or 8-digit local number
    r"(?:\s*(?:-|转|分机|ext\.?|x|#)\s*\d{1,6})?",  # extension
    re.IGNORECASE | re.ASCII,
)
_PLATE_LETTER = "[A-HJ-NP-Z]"
_PLATE_CHAR = "[A-HJ-NP-Z0-9]"
_PLATE = re.compile(
    f"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]{_PLATE_LETTER}"
    f"(?:{_PLATE_CHAR}{{5}}|{_PLATE_CHAR}{{4}}[学警挂领港澳]"
    f"|[ABCDEFGHJK]{_PLATE_CHAR}\\d{{4}}|\\d{{5}}[DF])"  # new-energy: small, then large
)
_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)"  # RFC 5321 local-part limit
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]+)",
    re.ASCII,
)
_EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit
_DATE_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_DATE_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*([日号]?)", re.ASCII)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFKC", value).strip()


# --- citizen ID (GB 11643-1999) ---------------------------------------------------------------


@dataclass(frozen=True)
class CitizenIdInfo:
    """What a citizen ID number says about its holder.

    Attributes:
        number: The 18-character number (15-character numbers are upgraded).
        region_code: The 6-digit administrative division code of the first registration.
        birth_date: The birth date.
        sex: GB/T 2261.1 sex code: ``"1"`` male (odd order digit), ``"2"`` female (even).
    """

    number: str
    region_code: str
    birth_date: date
    sex: str

    @property
    def sex_name(self) -> str:
        """``"male"`` or ``"female"``."""
        return "male" if self.sex == "1" else "female"


def citizen_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _CITIZEN_ID_WEIGHTS, strict=True))
    return _CITIZEN_ID_CHECK[total % 11]


def _birth_date(text: str) -> date | None:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return born if born.year >= DEFAULT_EARLIEST_BIRTH_YEAR and born <= date.today() else None


def _parse_citizen_id(value: object) -> CitizenIdInfo | None:
    text = _clean(value)
    if text is None or not text.isascii() or text[:2] not in CITIZEN_ID_PREFIXES:
        return None
    text = text.upper()
    if len(text) == 15 and text.isdigit():
        text = text[:6] + "19" + text[6:]
        text += citizen_id_check_char(text)
    if len(text) != 18 or not text[:17].isdigit():
        return None
    if text[17] != citizen_id_check_char(text[:17]):
        return None
    born = _birth_date(text[6:14])
    if born is None:
        return None
    return CitizenIdInfo(text, text[:6], born, "1" if int(text[16]) % 2 else "2")


def parse_citizen_id(value: str) -> CitizenIdInfo:
    """Read region, birth date and sex from a valid 18- or 15-character ID number.

    Raises:
        ValueError: If the value is not a valid citizen ID number.
    """
    info = _parse_citizen_id(value)
    if info is None:
        raise ValueError(f"not a valid citizen ID number: {value!r}")
    return info


def is_valid_citizen_id(value: object) -> bool:
    """Check a citizen ID number: 18 characters with check, or the legacy 15-digit form."""
    return _parse_citizen_id(value) is not None


def upgrade_citizen_id_15_to_18(value: str) -> str:
    """Turn a valid 15-digit ID number into its 18-character form (century 19, check char).

    Raises:
        ValueError: If the value is not a valid 15-digit ID number.
    """
    text = _clean(value)
    if text is None or len(text) != 15 or _parse_citizen_id(text) is None:
        raise ValueError(f"not a valid 15-digit citizen ID number: {value!r}")
    return parse_citizen_id(text).number


def make_citizen_id(region: str, birth: date, seq: int, sex: str) -> str:
    """Build a valid 18-character ID number, for tests and demo data.

    Args:
        region: 6-digit administrative division code.
        birth: Birth date.
        seq: Order number 0..999; its last digit is moved by one if needed to match ``sex``.
        sex: ``"1"`` (male, odd order number) or ``"2"`` (female, even).

    Raises:
        ValueError: If an argument is out of range.
    """
    if not re.fullmatch(r"\d{6}", region) or not 0 <= seq <= 999 or sex not in ("1", "2"):
        raise ValueError(f"bad arguments: region={region!r}, seq={seq!r}, sex={sex!r}")
    seq = seq - seq % 2 + (1 if sex == "1" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + citizen_id_check_char(first17)


# --- unified social credit code (GB 32100-2015) -----------------------------------------------


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character (mod 31) for the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError(f"expected 17 characters from {USCC_CHARSET}, got {first17!r}")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[-total % 31]


def organization_code_check_char(first8: str) -> str:
    """Return the GB 11714 check character (mod 11) for the first 8 characters of an org code."""
    if len(first8) != 8 or not first8.isascii() or not first8.isalnum():
        raise ValueError(f"expected 8 digits or upper-case letters, got {first8!r}")
    total = sum(int(c, 36) * w for c, w in zip(first8.upper(), _ORG_CODE_WEIGHTS, strict=True))
    return "0123456789X0"[11 - total % 11]


def is_valid_uscc(value: object, *, check_organization_code: bool = False) -> bool:
    """Check a unified social credit code.

    Args:
        value: The code; lower-case letters are accepted.
        check_organization_code: Also check positions 9-17 as a GB 11714 organization code.
    """
    text = _clean(value)
    if text is None:
        return False
    text = text.upper()
    if len(text) != 18 or any(c not in USCC_CHARSET for c in text):
        return False
    if text[0] not in _USCC_AUTHORITIES or not text[2:8].isdigit():
        return False
    if check_organization_code and text[16] != organization_code_check_char(text[8:16]):
        return False
    return text[17] == uscc_check_char(text[:17])


def make_uscc(rng: random.Random, region: str = "420500") -> str:
    """Build a valid code (its organization code valid too), for tests and demo data."""
    kind = rng.choice(("91", "92", "93", "11", "12", "51", "52", "53", "Y1"))
    body = "".join(rng.choice(USCC_CHARSET) for _ in range(8))
    first17 = kind + region + body + organization_code_check_char(body)
    return first17 + uscc_check_char(first17)


# --- vehicle identification number (ISO 3779, GB 16735) ---------------------------------------


def vin_check_digit(vin: str) -> str:
    """Return the check digit (``0``-``9`` or ``X``) for a 17-character VIN.

    The character at position 9 is ignored (its weight is 0).
    """
    if len(vin) != 17 or any(c not in _VIN_CHARSET for c in vin.upper()):
        raise ValueError(f"expected 17 characters from {_VIN_CHARSET}, got {vin!r}")
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin.upper(), _VIN_WEIGHTS, strict=True))
    return "0123456789X"[total % 11]


def is_valid_vin(value: object, *, require_check_digit: bool = True) -> bool:
    """Check a VIN: 17 characters without I, O, Q and a correct check digit at position 9."""
    text = _clean(value)
    if text is None:
        return False
    text = text.upper()
    if len(text) != 17 or any(c not in _VIN_CHARSET for c in text):
        return False
    return not require_check_digit or text[8] == vin_check_digit(text)


def make_vin(rng: random.Random) -> str:
    """Build a valid VIN with a Chinese-style ``L`` world manufacturer code, for tests and demos."""
    chars = ["L", *(rng.choice(_VIN_CHARSET) for _ in range(7)), "0", rng.choice(_VIN_YEAR_CODES)]
    chars += [rng.choice(_VIN_CHARSET), *(str(rng.randrange(10)) for _ in range(6))]
    chars[8] = vin_check_digit("".join(chars))
    return "".join(chars)


# --- contact details, places, plates ----------------------------------------------------------


def normalize_mobile(value: object) -> str | None:
    """Return the 11-digit mainland mobile number, or ``None`` if the value is not one."""
    text = _clean(value)
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", text)) if text else None
    return match.group(1) if match else None


def is_valid_mobile(value: object) -> bool:
    """Check a mainland mobile number (``+86``/``0086``/``86`` prefix, spaces, dashes allowed)."""
    return normalize_mobile(value) is not None


def is_valid_phone(value: object) -> bool:
    """Check a fixed-line number with area code (and optional extension) or a mobile number."""
    text = _clean(value)
    return bool(text and _PHONE.fullmatch(text)) or is_valid_mobile(text)


def is_valid_postal_code(value: object) -> bool:
    """Check a mainland postal code: 6 digits, not starting with ``9`` or ``00``."""
    text = _clean(value)
    return bool(text and re.fullmatch(r"(?!00)[0-8]\d{5}", text, re.ASCII))


def is_valid_region_code(value: object) -> bool:
    """Check a GB/T 2260 administrative division code: 6 digits with a province prefix."""
    text = _clean(value)
    return bool(text and re.fullmatch(r"\d{6}", text, re.ASCII) and text[:2] in PROVINCE_CODES)


def is_valid_plate(value: object) -> bool:
    """Check a vehicle plate number; a middle dot, space or dash after the letter is allowed."""
    text = _clean(value)
    return bool(text and _PLATE.fullmatch(_SEPARATORS.sub("", text).upper()))


def is_valid_email(value: object) -> bool:
    """Check an e-mail address pragmatically (ASCII local part, dotted domain, letter TLD)."""
    text = _clean(value)
    return bool(text and len(text) <= _EMAIL_MAX_LENGTH and _EMAIL.fullmatch(text))


# --- dates ------------------------------------------------------------------------------------


def _date_fields(text: str) -> tuple[str, str, str, str, str] | None:
    """Split a date into (year, separator or CJK suffix kind, month, day, suffix) strings."""
    if match := _DATE_SEPARATED.fullmatch(text):
        return match[1], match[2], match[3], match[4], ""
    if match := _DATE_COMPACT.fullmatch(text):
        return match[1], "", match[2], match[3], ""
    if match := _DATE_CJK.fullmatch(text):
        return match[1], "年", match[2], match[3], match[4]
    return None


def parse_date(value: object) -> date | None:
    """Read a date written as forms write it, or return ``None``.

    Accepted: ``2025-05-16``, ``2025/5/16``, ``2025.05.16``, ``20250516``, ``2025年5月16日``
    (also with ``号`` or no final character), with or without leading zeros; full-width digits
    are accepted.
    """
    text = _clean(value)
    fields = _date_fields(text) if text else None
    if fields is None:
        return None
    try:
        return date(int(fields[0]), int(fields[2]), int(fields[3]))
    except ValueError:
        return None


def is_valid_date(value: object) -> bool:
    """Check that a value is a real calendar date in one of the formats :func:`parse_date` reads."""
    return parse_date(value) is not None


def format_date(d: date, fmt: str | None = None) -> str:
    """Format a date with a strftime pattern (ISO 8601 ``%Y-%m-%d`` by default).

    Directives are expanded one at a time, so non-ASCII text such as ``"%Y年%m月%d日"`` works
    on every platform, and a ``-`` flag (``%-m``, ``%-d``) drops leading zeros everywhere,
    including Windows, whose C library lacks it. ``%Y`` is always four digits.
    """
    out: list[str] = []
    parts = re.split(r"(%-?.)", fmt or "%Y-%m-%d")
    for part in parts:
        if not part.startswith("%") or len(part) == 1:
            out.append(part)
            continue
        unpadded, code = part.startswith("%-"), part[-1]
        if code == "%":
            text = "%"
        elif code == "Y":
            text = f"{d.year:04d}"
        else:
            text = d.strftime("%" + code)
        out.append((text.lstrip("0") or "0") if unpadded else text)
    return "".join(out)


def _candidate_formats(fields: tuple[str, str, str, str, str]) -> set[str]:
    """The patterns that format a date exactly as written."""

    def options(number: str, code: str) -> list[str]:
        padded, unpadded = f"%{code}", f"%-{code}"
        if len(number) == 1:
            return [unpadded]
        return [padded] if number.startswith("0") else [padded, unpadded]

    _, sep, month, day, suffix = fields
    if not sep:
        return {"%Y%m%d"}
    mid = "月" if sep == "年" else sep
    return {f"%Y{sep}{m}{mid}{d}{suffix}" for m in options(month, "m") for d in options(day, "d")}


def detect_date_format(samples: Iterable[object]) -> str | None:
    """Find one pattern for :func:`format_date` that writes every sample as it is written.

    Empty samples are skipped. Returns ``None`` if the samples are no dates, are written in
    spaced CJK style, or need different patterns. Ties go to the same padding for
    month and day, then to zero-padding.
    """
    common: set[str] | None = None
    for sample in samples:
        text = _clean(sample)
        if not text:
            continue
        fields = _date_fields(text)
        if fields is None or parse_date(text) is None or " " in text:
            return None
        found = _candidate_formats(fields)
        common = found if common is None else common & found
    if not common:
        return None
    # Prefer one padding style for month and day, then zero-padding.
    return min(common, key=lambda p: (p.count("%-") == 1, p.count("%-"), p))


# --- registry ---------------------------------------------------------------------------------

VALIDATORS: dict[str, Callable[[str], bool]] = {
    "citizen-id": is_valid_citizen_id,
    "uscc": is_valid_uscc,
    "mobile": is_valid_mobile,
    "phone": is_valid_phone,
    "postal-code": is_valid_postal_code,
    "vin": is_valid_vin,
    "plate": is_valid_plate,
    "email": is_valid_email,
    "date": is_valid_date,
    "region-code": is_valid_region_code,
}
"""Validator for each format name that catalog items may declare."""

FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "citizen-id": ("11010519491231002X", "420502199001011234"),
    "uscc": ("91350100M000100Y43",),
    "mobile": ("13912345678",),
    "phone": ("0717-6221234", "010-62345678"),
    "postal-code": ("443000",),
    "vin": ("1M8GDM9AXKP042788",),
    "plate": ("鄂E12345",),
    "email": ("name@example.com",),
    "date": ("2025-05-16",),
    "region-code": ("420502",),
}
"""Typical values of each format, to test a form's own pattern against (matching evidence)."""


def validate(format_name: str, value: str) -> bool:
    """Check a value against the named format.

    Raises:
        KeyError: If no validator has that name.
    """
    try:
        validator = VALIDATORS[format_name]
    except KeyError:
        known = ", ".join(sorted(VALIDATORS))
        raise KeyError(f"unknown format {format_name!r}; known formats: {known}") from None
    return validator(value)
