"""Rendering validation results: text, json and GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..findings import Finding, Severity
from .console import colour, make_console, safe_text

if TYPE_CHECKING:
    from rich.text import Text

    from ..validate import FileResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def summary(results: Sequence[FileResult], skipped: Sequence[str] = ()) -> dict[str, int]:
    return {
        "files": len(results),
        "valid": sum(r.valid for r in results),
        "errors": sum(r.errors for r in results),
        "warnings": sum(r.warnings for r in results),
        "skipped": len(skipped),
    }


def summary_line(results: Sequence[FileResult], skipped: Sequence[str] = ()) -> str:
    s = summary(results, skipped)
    line = (
        f"{_count(s['files'], 'file')} checked: {s['valid']} valid, "
        f"{_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}"
    )
    return line + (f"; {_count(len(skipped), 'YAML file')} without `kind:` skipped" if skipped else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def finding_json(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "field": finding.field,
        "line": finding.line,
        "column": finding.column,
    }
    if finding.hint:
        data["hint"] = finding.hint
    return data


def to_json(results: Sequence[FileResult], skipped: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": r.path,
                "kind": r.kind,
                "id": r.id,
                "valid": r.valid,
                "findings": [finding_json(f) for f in r.findings],
            }
            for r in results
        ],
        "skipped": list(skipped),
        "summary": summary(results, skipped),
    }


def finding_line(path: str, finding: Finding) -> str:
    """`path:line:col: severity[rule] field: message`, then an indented hint line; all of it escaped."""
    field = f" {safe_text(finding.field)}:" if finding.field else ""
    line = (
        f"{safe_text(path)}:{finding.line}:{finding.column}: {finding.severity}[{finding.rule}]{field} "
        f"{safe_text(finding.message)}"
    )
    return line + (f"\n    hint: {safe_text(finding.hint)}" if finding.hint else "")


def finding_text(path: str, finding: Finding) -> Text:
    from rich.text import Text

    text = Text(f"{safe_text(path)}:{finding.line}:{finding.column}: ")
    text.append(f"{finding.severity}[{finding.rule}]", style=_STYLE[finding.severity])
    text.append(f" {safe_text(finding.field)}: " if finding.field else " ")
    text.append(safe_text(finding.message))
    if finding.hint:
        text.append("\n    hint: ", style="dim")
        text.append(safe_text(finding.hint), style="dim")
    return text


def render_text(stream: IO[str], results: Sequence[FileResult], skipped: Sequence[str] = ()) -> None:
    """Findings grouped per file, then a summary; colour only on a terminal."""
    if colour(stream):
        _render_rich(stream, results, skipped)
        return
    for result in results:
        if result.findings:
            stream.write("".join(finding_line(result.path, f) + "\n" for f in result.findings) + "\n")
    stream.write(summary_line(results, skipped) + "\n")


def _render_rich(stream: IO[str], results: Sequence[FileResult], skipped: Sequence[str]) -> None:
    from rich.text import Text

    console = make_console(stream)
    for result in results:
        if not result.findings:
            continue
        for finding in result.findings:
            console.print(finding_text(result.path, finding), soft_wrap=True)
        console.print()
    console.print(Text(summary_line(results, skipped), style="bold"))


def _escape_data(value: str) -> str:
    """GitHub's escaping of a workflow command's message, then ours of any other control character."""
    return safe_text(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(stream: IO[str], results: Sequence[FileResult], skipped: Sequence[str] = ()) -> None:
    """`::error file=…,line=…,col=…,title=…::message` for every finding, then the summary."""
    for result in results:
        for finding in result.findings:
            message = f"{finding.field}: {finding.message}" if finding.field else finding.message
            if finding.hint:
                message += f" (hint: {finding.hint})"
            props = (
                f"file={_escape_property(result.path)},line={finding.line},col={finding.column},"
                f"title={_escape_property(f'dps {finding.rule}')}"
            )
            stream.write(f"::{finding.severity} {props}::{_escape_data(message)}\n")
    stream.write(summary_line(results, skipped) + "\n")
