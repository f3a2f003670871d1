"""Values that have surprised YAML loaders, number parsers and terminals.

A value is a *spec*: a string of YAML text, or a list ``["rep", spec, n, sep]``
(``n`` copies joined by ``sep``) or ``["cat", spec, ...]`` (concatenation), so a
100 KB string or 400 nested merge keys stay small in a saved case.
"""

from __future__ import annotations

import random
from typing import Any

Spec = Any  # str | list (see module docstring)

YAML11 = ["NO", "no", "Off", "y", "010", "08", "0o17", "1:25", "190:20:30", "0x1F", "0b1010", "+12", "1_000"]
NUMBERS = [
    "12,50",
    "4,5",
    "600,00",
    "1,250.00",
    "1.250,00",
    "1,2,5,0",
    "1,000",
    "£1250",
    "50%",
    "1e3",
    "1e309",
    "-1e309",
    ".inf",
    "-.inf",
    ".nan",
    "-0",
    "0",
    "-1",
    "0.001",
    "1250.005",
    "0.",
    ".5",
    "100.01",
    "1000000000.00",
    "1000000000.01",
    "1000001",
    "520",
    "521",
    "99999999999999999999999999",
]
DATES = [
    "2026-02-30",
    "0999-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-13-01",
    "2026-1-1",
    "1999-12-31",
    "2099-12-31",
    "2100-01-01",
    "2026-11-02T10:00:00",
    "2026-11-02 10:00:00",
]
TAGGED = [
    "!!int abc",
    "!!float ''",
    "!!bool maybe",
    "!!int 0x",
    "!!int 1e3",
    "!!float 1e309",
    "!!binary aGVsbG8=",
    "!!binary '!!!'",
    "!!str 7",
    "!!timestamp 2026-13-40",
    "!!null x",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!custom x",
    "!<tag:example.com,2000:x> y",
    "!!python/object/apply:os.system ['true']",
    "!!map [1]",
    "!!seq {a: 1}",
    "!!merge x",
]
STRINGS = [
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "*undefined",
    "&a x",
    '"07"',
    "'7'",
    '"²"',
    '"٣"',
    '"ſe"',
    "ſe",
    '"R3\\n"',
    '"OF-0042\\n"',
    '"\\u202eevil"',
    '"\\0"',
    "national",
    "NATIONAL",
    "R3",
    "R9",
    "7",
    "9",
    "offer",
    "business-case",
    "evaluations",
    "sme",
    "in-person",
]
HOSTILE = [
    '"\\e]0;pwned\\a"',
    '"\\e[2J\\e[H"',
    '"\\x9b31m"',
    '"\\x7f"',
    '"a\\rb"',
    '"line\\nbreak"',
    '"[link=https://evil.example]FUZZMARK[/link]"',
    '"[/]"',
    '"[bold red]x"',
    "'[red]FUZZMARK[/red]'",
    '"=HYPERLINK(\\"http://evil.example\\",\\"y\\")"',
    "'+1+1'",
    "'-2+3'",
    "'@SUM(A1)'",
    '"\\tx"',
    '"\\rx"',
    "'=1+1'",
]
FIELDS = [
    "kind",
    "id",
    "category",
    "routeway",
    "capacity",
    "price_per_participant",
    "performance",
    "course",
    "available",
    "delivery",
    "client_groups",
    "evidence",
    "marks",
    "accepts",
    "budget",
    "participants",
    "supplier",
    "name",
    "title",
    "duration_weeks",
    "completion",
    "job_outcome",
    "areas",
    "start_by",
    "evaluation",
    "weights",
    "from",
    "until",
    "employer_links",
    "expected_outcomes",
    "<<",
    "fit",
]


def sized(rng: random.Random) -> Spec:
    """Big inputs: long strings and numbers, many items, deep nesting."""
    n = rng.choice([100, 1_000, 5_000, 20_000, 100_000, 400_000])
    choice = rng.randrange(9)
    if choice == 0:
        return ["cat", '"', ["rep", "A", n, ""], '"']
    if choice == 1:
        return ["cat", "1", ["rep", "0", min(n, 5_000), ""]]
    if choice == 2:
        return ["cat", "0x", ["rep", "F", min(n, 5_000), ""]]
    if choice == 3:
        return ["cat", "1", ["rep", ":59", min(n, 2_000), ""]]
    if choice == 4:
        return ["cat", "[", ["rep", rng.choice(["RH10", "XX9", "esol", "1", '"a"']), min(n, 200_000), ", "], "]"]
    if choice == 5:
        depth = min(n, 10_000)
        return ["cat", ["rep", "[", depth, ""], "1", ["rep", "]", depth, ""]]
    if choice == 6:
        depth = rng.choice([50, 400, 1_000])
        return ["cat", ["rep", "{<<: ", depth, ""], "{a: 1}", ["rep", "}", depth, ""]]
    if choice == 7:
        return ["cat", '"', ["rep", "word ", min(n, 50_000), ""], '"']
    depth = min(n, 3_000)
    return ["cat", ["rep", "{a: ", depth, ""], "1", ["rep", "}", depth, ""]]


def scalar(rng: random.Random) -> Spec:
    pool = rng.choice([YAML11, NUMBERS, DATES, TAGGED, STRINGS, HOSTILE, HOSTILE])
    if rng.random() < 0.08:
        return sized(rng)
    return rng.choice(pool)


def expand(spec: Spec) -> str:
    """The YAML text a spec stands for."""
    if isinstance(spec, str):
        return spec
    if spec[0] == "rep":
        return str(spec[3]).join([expand(spec[1])] * int(spec[2]))
    if spec[0] == "cat":
        return "".join(expand(part) for part in spec[1:])
    raise ValueError(f"unknown spec {spec[0]!r}")
