"""Headless Chromium driven over the DevTools protocol, through a pipe (no port, no network).

Chromium started with ``--remote-debugging-pipe`` reads protocol commands from its file
descriptor 3 and writes answers and events to descriptor 4, each message a JSON text
ended by a NUL byte. This small client starts the browser with a fresh profile and
every background service off, opens one page and records what the page did: console
messages, exceptions and every network request.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--remote-debugging-pipe",
)


def chromium_path() -> str:
    """The Debian chromium binary (installed by ``make system-deps``)."""
    found = shutil.which("chromium")
    assert found is not None, "chromium is missing: run `make system-deps`"
    return found


class Browser:
    """One Chromium process and one page in it."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int):
        self._process = process
        self._out = to_browser
        self._in = from_browser
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, timeout: float = 60.0, **params: Any) -> dict[str, Any]:
        """Send a command (to the page once attached) and wait for its result."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session is not None and not method.startswith("Target."):
            command["sessionId"] = self.session
        os.write(self._out, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60.0) -> dict[str, Any]:
        """Wait for the first event named ``method`` (also one already received)."""
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def screenshot(self, path: str, width: int = 1000) -> None:
        """A PNG of the whole page, ``width`` CSS pixels wide."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def pdf(self) -> bytes:
        """The page printed as the print stylesheet asks (A4)."""
        printed = self.send("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
        return base64.b64decode(printed["data"])


def _high(fd: int) -> int:
    # At 10 or above, so "3<&N 4>&M" can never overwrite one with the other.
    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


@contextmanager
def page(url: str) -> Iterator[Browser]:
    """Chromium with a fresh profile, attached to a blank page; ``url`` opened in it.

    Network, console and log events are enabled before the navigation, so every
    request the page makes and every message it logs is in ``browser.events``.
    """
    to_read, to_write = os.pipe()
    from_read, from_write = os.pipe()
    child_in, child_out = _high(to_read), _high(from_write)
    with tempfile.TemporaryDirectory(prefix="umkm-chromium-") as profile:
        command = [
            # bash, not sh: dash redirects only single-digit descriptors.
            "bash",
            "-c",
            f'exec "$0" "$@" 3<&{child_in} 4>&{child_out}',
            chromium_path(),
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        process = subprocess.Popen(
            command,
            pass_fds=(child_in, child_out),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in (to_read, from_write, child_in, child_out):
            os.close(fd)
        browser = Browser(process, to_write, from_read)
        try:
            target = browser.send("Target.createTarget", url="about:blank")
            attached = browser.send(
                "Target.attachToTarget", targetId=target["targetId"], flatten=True
            )
            browser.session = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable")
            browser.events.clear()
            browser.send("Page.navigate", url=url)
            browser.wait_for("Page.loadEventFired")
            yield browser
        finally:
            try:
                browser.session = None
                browser.send("Browser.close", timeout=10)
            except (RuntimeError, TimeoutError, OSError):
                process.kill()
            process.wait(timeout=30)
            os.close(to_write)
            os.close(from_read)
