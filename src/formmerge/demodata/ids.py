"""Vectorised identifiers with valid check characters: citizen IDs, USCCs, VINs and more.

Each function turns whole numpy arrays into a pyarrow string array in a few vector operations:
the characters are laid out as an ``(n, width)`` byte matrix, check characters are computed
column-wise, and the matrix is reinterpreted as fixed-width strings. The check rules are those
of :mod:`formmerge.validators` (GB 11643 for citizen IDs, GB 32100 and GB 11714 for unified
social credit codes, ISO 3779 for VINs); the tests check every generated value with them.

Uniqueness never relies on luck: the sequence numbers callers pass are unique, and
:func:`scramble` spreads them over the code space by a bijection so that consecutive people do not
get consecutive numbers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from formmerge.validators import USCC_CHARSET

__all__ = [
    "calendar_ints",
    "citizen_ids",
    "digit_matrix",
    "digits",
    "scramble",
    "strings_from_matrix",
    "usccs",
    "vins",
]

IntArray = npt.NDArray[np.int64]

_CITIZEN_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_CITIZEN_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_USCC_BYTES = np.frombuffer(USCC_CHARSET.encode(), dtype=np.uint8)
_ORG_CODE_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_ORG_CODE_CHECK = np.frombuffer(b"0123456789X0", dtype=np.uint8)
_VIN_CHARSET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_BYTES = np.frombuffer(_VIN_CHARSET.encode(), dtype=np.uint8)
_VIN_VALUE_OF_BYTE = np.zeros(128, dtype=np.int64)
_VIN_VALUE_OF_BYTE[_VIN_BYTES] = [int(v) for v in "012345678912345678123457923456789"]
_VIN_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2])
_VIN_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)
_SCRAMBLE_MULTIPLIER = 2_654_435_761
"""Knuth's multiplicative constant (a prime); adjusted upwards if it shares a factor."""
_GOLDEN_RATIO_FRACTION = 0.6180339887
_SHIFT_MULTIPLIER = 2_246_822_519
"""Spreads the start of differently offset sequences over the whole code space."""
_MAX_SCRAMBLE_MODULUS = 2**31
"""Keeps ``seq * multiplier`` within int64."""


def scramble(seq: IntArray, modulus: int, offset: int = 0) -> IntArray:
    """Map distinct integers in ``[0, modulus)`` to distinct, random-looking ones (a bijection)."""
    if modulus > _MAX_SCRAMBLE_MODULUS:
        raise ValueError(f"modulus {modulus} too large for 64-bit arithmetic")
    multiplier = _SCRAMBLE_MULTIPLIER % modulus
    if np.gcd(multiplier, modulus) != 1:
        multiplier += 1
        while np.gcd(multiplier, modulus) != 1:
            multiplier += 1
    shift = int(modulus * _GOLDEN_RATIO_FRACTION) + (offset + 1) * _SHIFT_MULTIPLIER % modulus
    return (seq.astype(np.int64) * multiplier + shift) % modulus


def calendar_ints(days: npt.NDArray[np.datetime64]) -> IntArray:
    """Dates as ``YYYYMMDD`` integers."""
    d = days.astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    result: IntArray = years * 10000 + months * 100 + day
    return result


def digit_matrix(values: IntArray, width: int) -> npt.NDArray[np.int64]:
    """The decimal digits of each value, most significant first, as an ``(n, width)`` matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


def strings_from_matrix(matrix: npt.NDArray[np.uint8]) -> pa.Array:
    """Turn an ``(n, width)`` matrix of ASCII bytes into a pyarrow string array."""
    n, width = matrix.shape
    data = np.ascontiguousarray(matrix, dtype=np.uint8)
    fixed = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), n, [None, pa.py_buffer(data.tobytes())]
    )
    return fixed.cast(pa.binary()).cast(pa.string())


def digits(values: IntArray, width: int) -> pa.Array:
    """Zero-padded decimal strings of ``width`` digits (values must be below ``10**width``)."""
    return strings_from_matrix((digit_matrix(values, width) + ord("0")).astype(np.uint8))


def citizen_ids(region: IntArray, birth: npt.NDArray[np.datetime64], seq: IntArray) -> pa.Array:
    """18-character citizen ID numbers (GB 11643) with their check character.

    Args:
        region: 6-digit administrative division codes as integers.
        birth: birth dates (``datetime64[D]``).
        seq: order numbers 0..999 (odd for men, even for women: the caller decides).
    """
    yyyymmdd = calendar_ints(birth)
    body = np.concatenate(
        [digit_matrix(region, 6), digit_matrix(yyyymmdd, 8), digit_matrix(seq, 3)], axis=1
    )
    check = _CITIZEN_ID_CHECK[(body @ _CITIZEN_ID_WEIGHTS) % 11]
    matrix = np.concatenate([(body + ord("0")).astype(np.uint8), check[:, None]], axis=1)
    return strings_from_matrix(matrix)


def usccs(seq: IntArray, region: IntArray, kind: bytes = b"91") -> pa.Array:
    """Unified social credit codes (GB 32100) whose organization code (GB 11714) is valid too.

    The organization code is ``MA`` (the prefix of codes assigned since 2015) followed by six
    characters that encode ``seq`` bijectively, so distinct ``seq`` give distinct codes.

    Args:
        seq: distinct non-negative integers below 31**6.
        region: 6-digit administrative division codes of the registration authority.
        kind: registration authority and organization category (``91``: enterprise).
    """
    n = len(seq)
    body_values = scramble(seq, 31**6, offset=7919).astype(np.int64)
    powers = 31 ** np.arange(5, -1, -1, dtype=np.int64)
    body_index = (body_values[:, None] // powers) % 31  # indexes into USCC_CHARSET
    body_bytes = _USCC_BYTES[body_index]
    org_bytes = np.concatenate([np.tile(np.frombuffer(b"MA", np.uint8), (n, 1)), body_bytes], 1)
    org_values = np.where(org_bytes >= ord("A"), org_bytes - ord("A") + 10, org_bytes - ord("0"))
    org_check = _ORG_CODE_CHECK[11 - (org_values @ _ORG_CODE_WEIGHTS) % 11]
    first17 = np.concatenate(
        [
            np.tile(np.frombuffer(kind, np.uint8), (n, 1)),
            (digit_matrix(region, 6) + ord("0")).astype(np.uint8),
            org_bytes.astype(np.uint8),
            org_check[:, None],
        ],
        axis=1,
    )
    lookup = np.zeros(128, dtype=np.int64)
    lookup[_USCC_BYTES] = np.arange(31)
    check = _USCC_BYTES[(-(lookup[first17] @ _USCC_WEIGHTS)) % 31]
    return strings_from_matrix(np.concatenate([first17, check[:, None]], axis=1))


def vins(
    wmi: list[bytes], rng: np.random.Generator, seq: IntArray, year_code: IntArray
) -> pa.Array:
    """Vehicle identification numbers (ISO 3779) with a correct check digit at position 9.

    Args:
        wmi: the world manufacturer identifier (3 characters) of each vehicle.
        rng: source of the vehicle descriptor section.
        seq: distinct serial numbers below 10**6 * 33 (the plant letter takes the excess).
        year_code: index of the model year character in the ISO 3779 year code sequence.
    """
    n = len(seq)
    wmi_bytes = np.frombuffer(b"".join(wmi), np.uint8).reshape(n, 3)
    vds = _VIN_BYTES[rng.integers(10, len(_VIN_CHARSET), size=(n, 5))]
    year_chars = np.frombuffer(b"ABCDEFGHJKLMNPRSTVWXY123456789", np.uint8)[year_code % 30]
    plant = _VIN_BYTES[(seq // 1_000_000) % len(_VIN_CHARSET)]
    serial = (digit_matrix(seq % 1_000_000, 6) + ord("0")).astype(np.uint8)
    matrix = np.concatenate(
        [
            wmi_bytes,
            vds,
            np.full((n, 1), ord("0"), np.uint8),
            year_chars[:, None],
            plant[:, None],
            serial,
        ],
        axis=1,
    ).astype(np.uint8)
    check = _VIN_CHECK[(_VIN_VALUE_OF_BYTE[matrix] @ _VIN_WEIGHTS) % 11]
    matrix[:, 8] = check
    return strings_from_matrix(matrix)
