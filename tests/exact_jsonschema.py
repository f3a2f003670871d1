"""A Draft 2020-12 validator that evaluates `multipleOf` exactly, as the specification defines it.

The jsonschema package divides in binary floating point, so `0.07` is not a
multiple of `0.01` there.  dps reads numbers as exact decimals, and so do these
tests: YAML decimals reach the validator as `Decimal`.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, validators


def _multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "number") and Fraction(str(instance)) % Fraction(str(step)) != 0:
        yield jsonschema.ValidationError(f"{instance} is not a multiple of {step}")


ExactValidator = validators.extend(Draft202012Validator, {"multipleOf": _multiple_of})


def errors(data: Any, schema: dict[str, Any]) -> list[jsonschema.ValidationError]:
    """Every way ``data`` fails ``schema``, formats checked."""
    checker = ExactValidator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return list(checker.iter_errors(data))
