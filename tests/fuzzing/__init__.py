"""A fuzzer for the `dps` command line, shared by the test suite and benchmarks/fuzz.py.

- ``values``: the YAML scalars and structures that have surprised dps or its loaders;
- ``mutate``: a seed file + a list of edits + an encoding -> bytes;
- ``cases``: a random (but seed-determined) command line with its mutated files;
- ``oracle``: runs a case through the real typer app in-process and names what went wrong.

A case is plain data (JSON-serialisable), so a failing one can be saved, replayed and shrunk.
"""
