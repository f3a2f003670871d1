"""JSON Schema for the file kinds, agreeing with `dps validate` on every structural rule.

The field types carry their own schemas (:mod:`fields`); this adds what needs
the reference data (provisions, areas, client groups) and the rules that span
fields (exactly one of category or routeway, weights not all zero).  Patterns
are written in the common subset of JavaScript's and Python's regex dialects:
no inline flags, so case-insensitive words are spelt `[Bb][Nn]`.
"""

from __future__ import annotations

from typing import Any

from .calloff import FILE_KINDS as KINDS
from .fields import ZERO_TEXT, anchored
from .reference import NATIONAL, Reference

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str, ref: Reference) -> dict[str, Any]:
    """The schema editors use to complete and check a ``kind`` file."""
    schema = KINDS[kind].model_json_schema(by_alias=True)
    schema = {"$schema": DIALECT, **schema, "title": f"DPS {kind}"}
    properties = schema.get("properties", {})
    properties["kind"] = {"const": kind, "description": "What this file is."}
    if "client_groups" in properties:
        properties["client_groups"]["items"] = _client_group(ref)
    if kind == "offer":
        _offer(schema, ref)
    if kind == "business-case":
        properties["accepts"]["items"] = {"anyOf": [_category(ref), _routeway(ref)]}
        properties["areas"]["items"] = _area(ref)
        schema["$defs"]["Weights"]["not"] = _all_zero()
    if kind == "evaluations":
        _evaluations(schema)
    _closed(schema)
    return schema


def _closed(node: Any) -> None:
    """Mappings keyed by a pattern (offer ids, evaluators' names) take no key outside it, as dps reads them."""
    if isinstance(node, dict):
        if "patternProperties" in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)


def _evaluations(schema: dict[str, Any]) -> None:
    """Each evaluator listed once; a named panel needs its marks."""
    properties = schema["properties"]
    properties["evaluators"]["anyOf"][0]["uniqueItems"] = True
    schema["if"] = {"required": ["evaluators"], "properties": {"evaluators": {"type": "array"}}}
    schema["then"] = {"required": ["individual"], "properties": {"individual": {"type": "object"}}}


def _offer(schema: dict[str, Any], ref: Reference) -> None:
    properties = schema["properties"]
    properties["category"] = {**_category(ref), "description": "A category, 1-8."}
    properties["routeway"] = {**_routeway(ref), "description": "A routeway, R1-R5."}
    schema["oneOf"] = [{"required": ["category"]}, {"required": ["routeway"]}]
    course = {"$ref": "#/$defs/Course"}
    properties["course"] = {
        "anyOf": [course, {"type": "array", "items": course, "minItems": 1, "maxItems": 1}],
        "description": "The one course this offer is for (a list of one is accepted).",
    }
    schema["$defs"]["Delivery"]["properties"]["areas"]["items"] = _area(ref)


def _category(ref: Reference) -> dict[str, Any]:
    numbers = sorted(ref.categories)
    return {"anyOf": [{"enum": numbers}, {"enum": [str(n) for n in numbers]}]}


def _routeway(ref: Reference) -> dict[str, Any]:
    keys = list(ref.routeways)
    return {"enum": keys + [k.lower() for k in keys]}


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def _area(ref: Reference) -> dict[str, Any]:
    areas = "|".join(_any_case(a) for a in sorted(ref.postcode_areas, key=lambda a: (-len(a), a)))
    district = "[0-9](?:[0-9]|[A-Za-z])?"
    return {
        "type": "string",
        "pattern": anchored(f"{_any_case(NATIONAL)}|(?:{areas})(?:{district})?"),
        "description": f"A postcode area (BN), district (RH10) or {NATIONAL}.",
    }


def _client_group(ref: Reference) -> dict[str, Any]:
    slugs = list(ref.client_groups)
    return {
        "anyOf": [{"enum": slugs}, {"type": "string", "pattern": anchored("|".join(map(_any_case, slugs)))}],
        "description": "A client-group slug (any case).",
    }


def _all_zero() -> dict[str, Any]:
    zero = {"anyOf": [{"const": 0}, {"type": "string", "pattern": anchored(ZERO_TEXT)}]}
    names = ("quality", "fit", "price")  # social_value may be left out: its default is 0
    return {"properties": dict.fromkeys((*names, "social_value"), zero), "required": list(names)}
