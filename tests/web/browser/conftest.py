"""Debian's Chromium, headless, driven by Playwright against docgen served on 127.0.0.1.

``scripts/install-system-deps.sh --browser`` (run by ``make test``) installs Chromium. Without
it these tests are skipped with the reason, except under CI, where a missing browser fails.
Screenshots of every page go to $DOCGEN_SCREENSHOTS when it is set (to look at them).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.web.conftest import WebSchool, make_school

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _need_browser() -> None:
    if not Path(CHROMIUM).exists():
        message = ("Debian's Chromium is not installed: run `scripts/install-system-deps.sh "
                   "--browser` (make test does)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class LiveServer:
    def __init__(self, web: WebSchool) -> None:
        self.web = web
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(web.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """docgen served on a free port of 127.0.0.1, its live parts refreshing twice a second."""
    web = make_school(tmp_path / "school", live_seconds=0.5)
    with LiveServer(web) as server:
        yield server


@pytest.fixture
def shots() -> Path | None:
    """Where to keep screenshots of every page, to look at: $DOCGEN_SCREENSHOTS, if set
    (taking them is slow, so the suite takes none otherwise)."""
    named = os.environ.get("DOCGEN_SCREENSHOTS")
    if not named:
        return None
    folder = Path(named)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
