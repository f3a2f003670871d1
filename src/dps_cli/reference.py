"""Reference data: categories, routeways, measures and vocabularies.

``categories.yaml`` and ``routeways.yaml`` are policy data, edited without code
changes.  The copies embedded in the package are the default; ``--reference
DIR`` points at edited ones.  Broken data is refused with the file, line and
field at fault (:class:`ReferenceDataError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from . import inputs, yamlsource
from .money import AmountError, parse_decimal
from .yamlscalars import Refused

FILES = ("categories.yaml", "routeways.yaml")
MEASURES = ("completion", "action_plan", "sj_outcome", "job_outcome", "mentoring_agreement", "in_work_13_weeks")
MILESTONES = ("start", "completion", "job_outcome")
NATIONAL = "national"
_M = TypeVar("_M", bound=BaseModel)
_DISTRICT = re.compile(r"([A-Z]{1,2})([0-9][0-9A-Z]?)")


class ReferenceDataError(Exception):
    """The reference data cannot be used; ``problems`` are `file:line:col: field: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _percent(value: Any) -> Decimal:
    try:
        number = parse_decimal(value, what="percentage")
    except AmountError as error:
        raise ValueError(str(error)) from None
    if not 0 <= number <= 100:
        raise ValueError(f"percentage {number} is outside 0-100")
    return number


def _amount(value: Any) -> Decimal:
    try:
        return parse_decimal(value)
    except AmountError as error:
        raise ValueError(str(error)) from None


Percent = Annotated[Decimal, BeforeValidator(_percent)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Small = Annotated[int, Field(strict=True, ge=1, le=1000)]  # ids, week counts: plain integers


class _Frozen(BaseModel):
    # Validators are built when first used: a run that finds the data in the cache never builds them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Funding(_Frozen):
    """A funding split: the share of the price paid at each milestone."""

    start: Percent
    completion: Percent
    job_outcome: Percent

    @model_validator(mode="after")
    def _sums_to_100(self) -> Funding:
        total = self.start + self.completion + self.job_outcome
        if total != 100:
            raise ValueError(f"the funding split sums to {total}, not 100")
        return self

    def shares(self) -> list[tuple[str, Decimal]]:
        return [(m, getattr(self, m)) for m in MILESTONES]


class Measure(_Frozen):
    meaning: str
    base: Literal["starters", "completers", "signers"]
    weeks_in_work: Small | None = None
    window_weeks: Small | None = None
    window_opens: str | None = None
    weeks_after: Small | None = None
    # How days in work add up inside a window: in total, or in one unbroken run.
    # A measure with `weeks_in_work` (job_outcome) counts cumulatively unless it says otherwise.
    in_work: Literal["cumulative", "continuous"] | None = None

    @model_validator(mode="after")
    def _in_work_default(self) -> Measure:
        if self.weeks_in_work is not None and self.in_work is None:
            object.__setattr__(self, "in_work", "cumulative")
        return self


class Ratings(_Frozen):
    """The KPI rating bands (SPEC §9), as % of the committed level; frozen into each call-off."""

    approaching_target: Percent = Decimal(90)
    requires_improvement: Percent = Decimal(75)


class Provision(_Frozen):
    """What a category and a routeway have in common: a split and targets."""

    name: str
    funding: Funding
    targets: dict[str, Percent]
    targets_rule: Literal["all", "any"] = "all"

    @property
    def key(self) -> str:
        raise NotImplementedError

    @property
    def label(self) -> str:
        raise NotImplementedError


class Category(Provision):
    id: Small
    overview: str
    content: list[str]
    alone_contract_value_over: Amount | None = None

    @property
    def key(self) -> str:
        return str(self.id)

    @property
    def label(self) -> str:
        return f"category {self.id}"


class Routeway(Provision):
    id: Annotated[str, Field(pattern=r"^R[0-9]+$")]
    categories: list[Small] = Field(min_length=2)

    @property
    def key(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        return f"routeway {self.id}"


class _CategoriesFile(_Frozen):
    measures: dict[str, Measure]
    categories: list[Category] = Field(min_length=1)
    client_groups: dict[str, str] = Field(min_length=1)
    postcode_areas: list[Annotated[str, Field(pattern=r"^[A-Za-z]{1,2}$")]] = Field(min_length=1)
    ratings: Ratings = Field(default_factory=Ratings)  # not built at import


class _RoutewaysFile(_Frozen):
    routeways: list[Routeway]


@dataclass(frozen=True)
class Reference:
    """Everything the rules, matching and schedule need to know about policy."""

    measures: dict[str, Measure]
    categories: dict[int, Category]
    routeways: dict[str, Routeway]
    client_groups: dict[str, str]
    postcode_areas: frozenset[str]
    directory: str
    ratings: Ratings = field(default_factory=Ratings)

    def provision(self, key: object) -> Category | Routeway | None:
        """The category (1, "7") or routeway ("R3", "r3") so named, if any."""
        text = provision_key(key)
        if text is None:
            return None
        if text.isdecimal():
            return self.categories.get(int(text))
        return self.routeways.get(text)

    @property
    def provision_keys(self) -> list[str]:
        return [str(c) for c in self.categories] + list(self.routeways)

    def area_known(self, area: str) -> bool:
        """``national``, a postcode area (``BN``) or a district of one (``RH10``)."""
        if area == NATIONAL or area in self.postcode_areas:
            return True
        match = _DISTRICT.fullmatch(area)
        return bool(match and match.group(1) in self.postcode_areas)

    @property
    def job_outcome_window(self) -> tuple[int, int]:
        """(weeks after completion the window's first payment can fall, window length)."""
        measure = self.measures["job_outcome"]
        return measure.weeks_in_work or 0, measure.window_weeks or 0


_CATEGORY_KEY = re.compile(r"[1-9][0-9]{0,5}")
_ROUTEWAY_KEY = re.compile(r"[Rr][1-9][0-9]{0,5}")


def provision_key(value: object) -> str | None:
    """The one key of a category or routeway as written, or ``None`` if not of that form.

    ``7`` and ``"7"`` are ``"7"``; ``"r3"`` is ``"R3"``.  Nothing else is read:
    ``"07"``, ``" 7"``, ``"²"`` and ``True`` are not provision keys, so every
    rule, cross-file check and match sees one key for one provision.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if 0 < value < 1_000_000 else None
    if isinstance(value, str) and _CATEGORY_KEY.fullmatch(value):
        return value
    if isinstance(value, str) and _ROUTEWAY_KEY.fullmatch(value):
        return value.upper()
    return None


def area_covers(offered: str, wanted: str) -> bool:
    """Does an offer delivering in ``offered`` cover a business case's ``wanted`` area?"""
    if offered in (NATIONAL, wanted):
        return True
    if wanted == NATIONAL:
        return False
    match = _DISTRICT.fullmatch(wanted)
    return bool(match and match.group(1) == offered)


def embedded_directory() -> Path:
    """The packaged copies, or the repository root in a source checkout."""
    packaged = Path(__file__).resolve().parent / "data"  # where the wheel puts them (importlib.resources costs more)
    if (packaged / FILES[0]).is_file():
        return packaged
    return Path(__file__).resolve().parents[2]


@cache
def load_reference(directory: str | None = None) -> Reference:
    """Load and check the reference data in ``directory`` (default: embedded); see :mod:`.refcache`."""
    from . import refcache

    folder = Path(directory) if directory else embedded_directory()
    contents = [_read(folder / name) for name in FILES]
    cache_key = refcache.key(contents, __file__)
    files = _from_cache(refcache.read(cache_key))
    if files is None:
        files = _check(folder, contents)
        refcache.write(cache_key, {"categories": refcache.dump(files[0]), "routeways": refcache.dump(files[1])})
    return _reference(*files, folder)


def _from_cache(stored: dict[str, Any] | None) -> tuple[_CategoriesFile, _RoutewaysFile] | None:
    """The files as a cache stored them, or None when it holds nothing of their shape."""
    from . import refcache

    if stored is None:
        return None
    try:
        return refcache.build(_CategoriesFile, stored["categories"]), refcache.build(
            _RoutewaysFile, stored["routeways"]
        )
    except (KeyError, TypeError, ValueError, ArithmeticError, StopIteration, RecursionError):
        return None


def _reference(categories: _CategoriesFile, routeways: _RoutewaysFile, folder: Path) -> Reference:
    return Reference(
        measures=categories.measures,
        categories={c.id: c for c in categories.categories},
        routeways={r.id: r for r in routeways.routeways},
        client_groups=categories.client_groups,
        postcode_areas=frozenset(a.upper() for a in categories.postcode_areas),
        directory=str(folder),
        ratings=categories.ratings,
    )


def _read(path: Path) -> bytes:
    item = inputs.read(str(path))  # never blocks: a FIFO or device is refused
    if item.content is None:
        raise ReferenceDataError([f"{item.path}: cannot read reference file ({item.problem})"])
    return item.content


def _check(folder: Path, contents: list[bytes]) -> tuple[_CategoriesFile, _RoutewaysFile]:
    """Parse and check both files; every problem found is in the ReferenceDataError."""
    categories, cat_source = _parse(folder / FILES[0], contents[0], _CategoriesFile)
    routeways, route_source = _parse(folder / FILES[1], contents[1], _RoutewaysFile)
    problems = _cross_check(categories, cat_source, routeways, route_source)
    if problems:
        raise ReferenceDataError(problems)
    return categories, routeways


def _parse(path: Path, content: bytes, model: type[_M]) -> tuple[_M, yamlsource.Source]:
    source = yamlsource.load(content, inputs.display_path(str(path)))
    if source.findings or source.data is None:
        raise ReferenceDataError(
            [f"{path}:{f.line}:{f.column}: {f.field or '(file)'}: {f.message}" for f in source.findings]
        )
    try:
        return model.model_validate(source.data), source
    except ValidationError as error:
        raise ReferenceDataError([_problem(path, source, e) for e in error.errors()]) from None


def _problem(path: Path, source: yamlsource.Source, error: Any) -> str:
    loc = _data_path(error["loc"])
    at = source.key_position(loc) if error["type"] == "extra_forbidden" else source.position(loc)
    return f"{path}:{at.line}:{at.column}: {yamlsource.dotted(loc)}: {_message(error)}"


_WANTED = {
    "int_type": "a whole number",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _message(error: Any) -> str:
    """Our words for a validation error in a reference file, never the validator's."""
    kind, shown = error["type"], _shown(error.get("input"))
    context = error.get("ctx") or {}
    if isinstance(error.get("input"), Refused):
        return f"{error['input'].reading}, and dps does not guess ({error['input'].hint})"
    if kind == "value_error":
        return str(context.get("error", "is not valid"))
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field dps knows here"
    if kind in _WANTED:
        return f"expected {_WANTED[kind]}, found {shown}"
    if kind == "literal_error":
        return f"{shown} is not one of {context.get('expected', '')}"
    if kind in ("greater_than_equal", "less_than_equal", "too_short", "string_pattern_mismatch"):
        return f"{shown} is out of range or of the wrong form" + _constraint(context)
    return f"{shown} is not valid here"


def _constraint(context: dict[str, Any]) -> str:
    parts = [f"{name.replace('_', ' ')} {value}" for name, value in context.items() if name != "actual_length"]
    return f" ({', '.join(parts)})" if parts else ""


def _shown(value: Any) -> str:
    text = str(value)
    text = text if len(text) <= 40 else f"{text[:39]}…"
    return (
        f"`{text}`" if not isinstance(value, (dict, list)) else ("a mapping" if isinstance(value, dict) else "a list")
    )


def _data_path(loc: tuple[Any, ...]) -> yamlsource.Path:
    """Pydantic's loc with dict-key validation suffixes dropped."""
    return tuple(p for p in loc if p != "[key]")


def _cross_check(
    cats: _CategoriesFile,
    cat_source: yamlsource.Source,
    routes: _RoutewaysFile,
    route_source: yamlsource.Source,
) -> list[str]:
    problems: list[str] = []

    def report(source: yamlsource.Source, loc: yamlsource.Path, message: str) -> None:
        at = source.position(loc)
        problems.append(f"{source.name}:{at.line}:{at.column}: {yamlsource.dotted(loc)}: {message}")

    for name in cats.measures:
        if name not in MEASURES:
            report(cat_source, ("measures", name), f"unknown measure `{name}` (known: {', '.join(MEASURES)})")
    ids = [c.id for c in cats.categories]
    for i, category in enumerate(cats.categories):
        if ids.count(category.id) > 1:
            report(cat_source, ("categories", i, "id"), f"category {category.id} is defined twice")
        for measure in category.targets:
            if measure not in cats.measures:
                report(cat_source, ("categories", i, "targets", measure), f"target on unknown measure `{measure}`")
    for i, routeway in enumerate(routes.routeways):
        for j, number in enumerate(routeway.categories):
            if number not in ids:
                report(
                    route_source,
                    ("routeways", i, "categories", j),
                    f"routeway {routeway.id} names unknown category {number}",
                )
        for measure in routeway.targets:
            if measure not in cats.measures:
                report(route_source, ("routeways", i, "targets", measure), f"target on unknown measure `{measure}`")
    return problems
