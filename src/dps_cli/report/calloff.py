"""Writing a call-off record as YAML: the file `dps award` makes."""

from __future__ import annotations

from typing import Any

HEADER = (
    "# Call-off record written by `dps award`. Its terms are frozen as they were at award:\n"
    "# later edits to categories.yaml or routeways.yaml never change them. Do not edit by hand.\n"
)


def to_yaml(record: dict[str, Any]) -> str:
    """The record as a YAML document, keys in the order given; text quoted wherever YAML needs it."""
    import yaml

    body = yaml.dump(
        record,
        Dumper=yaml.SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body
