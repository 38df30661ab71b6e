"""Payment codes: 16 digits, the last a Luhn check digit.

The first 15 digits are random (the first never 0, so the code never loses a digit in a
spreadsheet); the 16th is the Luhn (mod 10) check digit over them, the same rule as card
numbers. It catches every single mistyped digit and almost every swap of two neighbouring
digits, so a teller's typo is refused as "invalid code" instead of paying someone else's bill.
Codes are shown in groups of four: ``8123 4567 8901 2346``.
"""

from __future__ import annotations

import secrets

CODE_LENGTH = 16


def luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # doubled: the digit right of these is the check digit itself
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_valid_code(code: str) -> bool:
    """Sixteen digits whose last digit is the Luhn check digit of the others."""
    return (
        len(code) == CODE_LENGTH
        and code.isascii()
        and code.isdigit()
        and luhn_check_digit(code[:-1]) == code[-1]
    )


def new_code() -> str:
    body = str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(CODE_LENGTH - 2)
    )
    return body + luhn_check_digit(body)


def normalise_code(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between the groups."""
    return "".join(char for char in raw.strip() if char not in " .-\u00a0")[:40]


def display_code(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
