"""A case: one dps command line and the (mutated) files it reads, as plain data.

Paths in ``argv`` start with ``@/`` for the case's own folder (``%/`` for the repository); each Doc is a
seed file from the repository, written to ``path`` (under that folder) after
its edits and in its encoding. A case is JSON-serialisable: see ``to_json``.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import mutate

ROOT = Path(__file__).resolve().parents[2]
OFFERS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "offers").glob("*.yaml"))
OFFERS += sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "data" / "valid").glob("*.yaml"))
CASES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "business-cases").glob("*.yaml"))
EVALUATIONS = "examples/evaluations.yaml"
PANEL = "examples/panel/consensus.yaml"  # the marks with the panel's own marks and reasons
REFERENCE = ["categories.yaml", "routeways.yaml"]
NAMES = [
    "x.yaml",
    "with space.yaml",
    "new\nline.yaml",
    "esc\x1b[31m.yaml",
    "\udcff\udcfe.yaml",
    "[red]m[/red].yaml",
    "=cmd.yaml",
    "x.yml",
    "x.YAML",
    "ta\tb.yaml",
    "\u202eevil.yaml",
    "é.yaml",
]
STARTS = ["2026-11-02", "9999-12-31", "0001-01-01", "2099-12-31", "1999-12-31", "2026-02-30", "soon", "2026-11-02\n"]
PARTICIPANTS = ["1", "40", "61", "1000000", "1000001", "999999999999", "0", "-1", "1,000"]


@dataclass
class Doc:
    base: str
    path: str
    edits: list[list[Any]] = field(default_factory=list)
    encoding: str = "utf-8"
    bytes_: list[list[Any]] = field(default_factory=list)

    def data(self) -> bytes:
        text = (ROOT / self.base).read_text(encoding="utf-8")
        return mutate.render(text, self.edits, self.encoding, self.bytes_)


@dataclass
class Case:
    argv: list[str]
    docs: list[Doc] = field(default_factory=list)
    stdin: Doc | None = None
    columns: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Case:
        raw = json.loads(text)
        stdin = Doc(**raw["stdin"]) if raw["stdin"] else None
        return cls(raw["argv"], [Doc(**d) for d in raw["docs"]], stdin, raw["columns"])


def materialize(case: Case, folder: Path) -> tuple[list[str], bytes | None]:
    """Write the case's files under folder; its argv with real paths, and its stdin."""
    for doc in case.docs:
        target = os.path.join(os.fsencode(folder), os.fsencode(doc.path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(doc.data())
    where = {"@/": str(folder), "%/": str(ROOT)}
    argv = [where[arg[:2]] + arg[1:] if arg[:2] in where else arg for arg in case.argv]
    return argv, case.stdin.data() if case.stdin else None


def mutated(rng: random.Random, base: str, path: str, counts: tuple[int, ...] = (1, 1, 2, 3, 5)) -> Doc:
    edits = [mutate.random_edit(rng) for _ in range(rng.choice(counts))]
    if rng.random() < 0.03:
        edits += mutate.alias_bomb(rng.randrange(100), rng.randrange(100), rng.choice([1_000, 100_000]))
    encoding = rng.choice(mutate.ENCODINGS) if rng.random() < 0.12 else "utf-8"
    byte_edits = [[rng.random(), rng.choice([0, 0x80, 0xFF, 0x1B, 0xC3])]] if rng.random() < 0.05 else []
    return Doc(base, path, edits, encoding, byte_edits)


def _name(rng: random.Random, fallback: str) -> str:
    return rng.choice(NAMES) if rng.random() < 0.1 else fallback


def _validate(rng: random.Random) -> Case:
    docs = [
        mutated(rng, rng.choice([*OFFERS, *CASES, EVALUATIONS, PANEL]), f"in/{i}-{_name(rng, 'f.yaml')}")
        for i in range(rng.choice([1, 1, 2, 3]))
    ]
    argv = ["validate", *(f"@/{d.path}" for d in docs), "--format", rng.choice(["text", "json", "github"])]
    if rng.random() < 0.3:
        argv = ["validate", "@/in", *argv[-2:]]
    if rng.random() < 0.2:
        argv.append("--strict")
    if rng.random() < 0.1:
        return Case(["validate", "-", *argv[-2:]], [], mutated(rng, rng.choice(OFFERS), "-"))
    return Case(argv, docs)


def _offers_folder(rng: random.Random) -> list[Doc]:
    docs = [Doc(base, f"offers/{Path(base).name}") for base in OFFERS]
    for i in rng.sample(range(len(docs)), rng.choice([1, 1, 2, 3])):
        docs[i] = mutated(rng, docs[i].base, f"offers/{_name(rng, Path(docs[i].base).name)}")
    return docs


def _match(rng: random.Random) -> Case:
    case_doc = (
        mutated(rng, rng.choice(CASES), "case.yaml") if rng.random() < 0.4 else Doc(rng.choice(CASES), "case.yaml")
    )
    docs = [case_doc, *_offers_folder(rng)]
    argv = ["match", "@/case.yaml", "@/offers", "--format", rng.choice(["text", "json", "csv"])]
    if rng.random() < 0.8:
        marks = rng.choice([EVALUATIONS, PANEL])
        evaluations = mutated(rng, marks, "marks.yaml") if rng.random() < 0.3 else Doc(marks, "marks.yaml")
        docs.append(evaluations)
        argv += ["--evaluations", "@/marks.yaml"]
    if rng.random() < 0.5:
        argv += ["--top", rng.choice(["1", "2", "3", "100"])]
    return Case(argv, docs)


def _schedule(rng: random.Random) -> Case:
    docs = [mutated(rng, rng.choice(OFFERS), _name(rng, "offer.yaml"), (0, 1, 1, 2))]
    argv = ["schedule", f"@/{docs[0].path}", "--format", rng.choice(["text", "json", "csv"])]
    if rng.random() < 0.4:
        docs.append(mutated(rng, rng.choice(CASES), "case.yaml") if rng.random() < 0.5 else Doc(CASES[0], "case.yaml"))
        argv += ["--business-case", "@/case.yaml"]
    if rng.random() < 0.8 or len(docs) == 1:
        argv += ["--participants", rng.choice(PARTICIPANTS)]
    if rng.random() < 0.6:
        argv += ["--start", rng.choice(STARTS)]
    return Case(argv, docs)


def _reference(rng: random.Random) -> Case:
    docs = [Doc(name, f"ref/{name}") for name in REFERENCE]
    i = rng.randrange(2)
    docs[i] = mutated(rng, REFERENCE[i], docs[i].path)
    command = rng.choice(
        [
            ["categories"],
            ["routeways"],
            ["categories", "4"],
            ["schema", "offer"],
            ["validate", "%/examples/offers"],
            ["categories", "--format", "json"],
        ]
    )
    return Case([*command, "--reference", "@/ref"], docs)


def _schema(rng: random.Random) -> Case:
    return Case(["schema", rng.choice(["offer", "business-case", "evaluations", "call-off", "OFFER", ""])])


def random_case(rng: random.Random) -> Case:
    """A command line drawn from every command and format, with mutated files."""
    maker = rng.choices([_validate, _match, _schedule, _reference, _schema], weights=[35, 30, 25, 8, 2])[0]
    case = maker(rng)
    if rng.random() < 0.15:
        case.columns = rng.choice([0, 20, 40, 60, 80, 120, 300])
    return case
