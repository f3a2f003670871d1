"""Drive the distribution's headless Chromium over the DevTools protocol (a pipe, no library).

Chromium reads protocol commands from fd 3 and writes replies and events to
fd 4, each a JSON message ended by a NUL byte. One page per call, with the
network emulated offline, every request, failed load, console message and
exception recorded.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--proxy-server=http://127.0.0.1:9",  # nothing listens there: no request could leave the machine
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-pipe",
]


def available() -> bool:
    """Whether the browser tests can run: chromium is installed, or this is CI, which must run them."""
    return bool(shutil.which("chromium") or shutil.which("chromium-browser") or os.environ.get("CI"))


needs_chromium = pytest.mark.skipif(
    not available(), reason="chromium is not installed: `sudo apt-get install -y chromium` runs these"
)


def executable() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("chromium is not installed: `apt-get install -y chromium` (.ci/run does this)")
    return found


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


@dataclass
class Page:
    """What happened while loading one page, and what it looked like."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # errors and warnings, from console, log and exceptions
    scroll_width: int = 0
    viewport_width: int = 0
    screenshot: bytes = b""
    pdf: bytes = b""


class Browser:
    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="dps-chromium-")
        to_browser, self._commands = os.pipe()
        self._events, from_browser = os.pipe()
        # Above fd 9, so the shell's `3<&A 4>&B` can never overwrite one of them with the other.
        to_browser, from_browser = _high(to_browser), _high(from_browser)
        argv = shlex.join([executable(), *FLAGS, f"--user-data-dir={self.profile}"])
        self.process = subprocess.Popen(
            ["bash", "-c", f"exec {argv} 3<&{to_browser} 4>&{from_browser} about:blank"],
            pass_fds=(to_browser, from_browser),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE if os.environ.get("DPS_DEBUG_CHROMIUM") else subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        try:
            self.send("Browser.close")
        finally:
            os.close(self._commands)
            os.close(self._events)
            self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._events, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def load(
        self, path: Path, width: int, *, pdf: bool = False, clip_height: int | None = None, clip_to: str | None = None
    ) -> Page:
        """Load ``path`` at ``width``: the screenshot is the page, its top ``clip_height`` pixels, or the band
        of it that the element named by the CSS selector ``clip_to`` covers."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session)
        self.send(
            "Network.emulateNetworkConditions",
            session,
            offline=True,
            latency=0,
            downloadThroughput=-1,
            uploadThroughput=-1,
        )
        self.send(
            "Emulation.setDeviceMetricsOverride", session, width=width, height=900, deviceScaleFactor=1, mobile=False
        )
        self.events.clear()
        self.send("Page.navigate", session, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        page = Page()
        measure = "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])"
        value = self.send("Runtime.evaluate", session, expression=measure, returnByValue=True)["result"]["value"]
        page.scroll_width, page.viewport_width = json.loads(value)
        clip = {"x": 0, "y": 0, "width": width, "height": clip_height, "scale": 1} if clip_height else None
        if clip_to:
            clip = self._element_box(session, clip_to, width)
        shot = self.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                         **({"clip": clip} if clip else {}))  # fmt: skip
        page.screenshot = base64.b64decode(shot["data"])
        if pdf:
            printed = self.send("Page.printToPDF", session, preferCSSPageSize=True, printBackground=True)
            page.pdf = base64.b64decode(printed["data"])
        self._collect(page, session)
        self.send("Target.closeTarget", targetId=target)
        return page

    def _element_box(self, session: str, selector: str, width: int) -> dict[str, Any]:
        """The full-width band of the page the element ``selector`` names, as a screenshot clip."""
        script = (
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return JSON.stringify([r.top + window.scrollY, r.height]); })()"
        )
        reply = self.send("Runtime.evaluate", session, expression=script, returnByValue=True)
        top, height = json.loads(reply["result"]["value"])
        return {"x": 0, "y": top, "width": width, "height": height, "scale": 1}

    def _collect(self, page: Page, session: str) -> None:
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                page.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                page.failed.append(f"{params.get('errorText')} ({params.get('requestId')})")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                page.console.append(json.dumps(params.get("args")))
            elif method == "Runtime.exceptionThrown":
                page.console.append(json.dumps(params.get("exceptionDetails")))
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                page.console.append(params["entry"].get("text", ""))
        self.events.clear()
