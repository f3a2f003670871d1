"""JSON Schema for the three file kinds, with the reference vocabularies as enums."""

from __future__ import annotations

from typing import Any

from .calloff import FILE_KINDS as KINDS
from .reference import NATIONAL, Reference

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str, ref: Reference) -> dict[str, Any]:
    """The schema editors use to complete and check a ``kind`` file."""
    schema = KINDS[kind].model_json_schema(by_alias=True)
    schema = {"$schema": DIALECT, **schema, "title": f"DPS {kind}"}
    properties = schema.get("properties", {})
    properties["kind"] = {"const": kind, "description": "What this file is."}
    groups = {"type": "string", "enum": list(ref.client_groups), "description": "A client-group slug."}
    if "client_groups" in properties:
        properties["client_groups"]["items"] = groups
    area = {
        "type": "string",
        "pattern": "^(?i:national|[A-Z]{1,2}([0-9][0-9A-Z]?)?)$",
        "description": f"A postcode area (BN), district (RH10) or {NATIONAL}.",
    }
    if kind == "offer":
        properties["category"] = {"enum": sorted(ref.categories), "description": "A category, 1-8."}
        properties["routeway"] = {"enum": list(ref.routeways), "description": "A routeway, R1-R5."}
        schema["$defs"]["Delivery"]["properties"]["areas"]["items"] = area
    if kind == "business-case":
        properties["accepts"]["items"] = {"enum": [*sorted(ref.categories), *ref.routeways]}
        properties["areas"]["items"] = area
    return schema
