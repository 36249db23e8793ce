"""The trainers' dashboard in a real browser: Debian's Chromium driven by Playwright.

Starts ``imsim-dashboard``, picks a scenario, steps, injects an event, and checks
that the plots and the narrative log change. Keeps a screenshot in
``test-artifacts/dashboard.png``. Outside CI the test skips when chromium is
not installed; under CI (``CI`` set, as ``.ci/run`` does) it must run.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is missing under CI; .ci/run installs it (apt-get install chromium)"
            )
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    port = _free_port()
    log = (tmp_path_factory.mktemp("dashboard") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "imsim.views.dashboard", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(server.pid, signal.SIGKILL)
        pytest.fail("the dashboard did not start")
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


@pytest.fixture
def page(dashboard):
    """A fresh browser page on the dashboard (each page is its own Solara session)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(dashboard)
        page.wait_for_selector("text=What happened", timeout=60_000)
        yield page
        browser.close()


def _wait_for_new_plot(page, src: str) -> None:
    """Until the figure's image differs from ``src`` (the server re-rendered it)."""
    page.wait_for_function(
        "src => document.querySelector('img').src !== src", arg=src, timeout=30_000
    )


def test_pick_step_inject_and_watch_plots_and_log_change(page):
    log = page.locator(".imsim-log")
    figure = page.locator("img").first

    page.locator(".v-select").filter(has_text=re.compile("^scenario")).click()
    page.locator(".v-list-item").filter(has_text="katanga_mob").click()
    page.wait_for_selector("text=month 0: katanga_mob", timeout=30_000)
    before_plot, before_log = figure.get_attribute("src"), log.inner_text()

    page.get_by_role("button", name="Step").click()
    page.wait_for_selector("text=Month 1 of", timeout=30_000)
    _wait_for_new_plot(page, before_plot)
    assert figure.get_attribute("src") != before_plot
    assert log.inner_text() != before_log and "month 1:" in log.inner_text()

    after_step = figure.get_attribute("src")
    page.get_by_role("button", name="ceasefire collapse").click()
    page.wait_for_selector("text=month 2: the ceasefire collapses", timeout=30_000)
    page.get_by_role("button", name="Step").click()
    page.wait_for_selector("text=Month 2 of", timeout=30_000)
    _wait_for_new_plot(page, after_step)
    text = log.inner_text()
    assert "slip back into conflict" in text or "slips back into conflict" in text

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 20_000


def _press_play(page) -> None:
    """Press Play until the button turns to Pause: a click that lands while a new session
    is still wiring its widgets is lost, and a user would simply press again."""
    from playwright.sync_api import TimeoutError as Timeout

    for _ in range(5):
        page.get_by_role("button", name="Play").click()
        try:
            page.get_by_role("button", name="Pause").wait_for(timeout=6_000)
            return
        except Timeout:
            continue
    raise AssertionError("Play never took effect")


def test_play_pause_and_reset(page):
    page.wait_for_selector("text=Month 0 of", timeout=30_000)
    _press_play(page)
    page.wait_for_selector("text=Month 3 of", timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    page.wait_for_selector("text=Play", timeout=30_000)  # the button turns back
    page.wait_for_timeout(1_000)  # a month already under way may still land
    paused = page.locator("text=/Month \\d+ of/").inner_text()
    page.wait_for_timeout(2_000)  # five play intervals: a paused run stays put
    assert page.locator("text=/Month \\d+ of/").inner_text() == paused
    page.get_by_role("button", name="Reset").click()
    page.wait_for_selector("text=Month 0 of", timeout=30_000)


def test_a_1024_screen_shows_every_choice_by_name_and_the_scenarios_story(dashboard):
    """Every integration choice fits a 1024x768 screen and says where the HC and OCHA sit;
    the scenario's description shows under its menu."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(dashboard)
        page.wait_for_selector("text=What happened", timeout=60_000)
        for title in ("two feet in (HC and OCHA inside)", "two feet out (HC and OCHA outside)"):
            box = page.get_by_role("button", name=title).bounding_box()
            assert box is not None and box["x"] + box["width"] <= 1024, title
        assert "two_feet_out" not in page.inner_text("body")  # labels, not identifiers
        assert "Kivus and Ituri" in page.inner_text("body")  # drc_relapse's story
        # nothing wider than the screen, once the page has laid itself out (a figure being
        # re-rendered can stretch it for a moment)
        page.wait_for_function("document.documentElement.scrollWidth <= 1024", timeout=15_000)
        page.get_by_role("button", name="two feet out (HC and OCHA outside)").click()
        page.wait_for_selector("text=month 0: drc_relapse, two_feet_out", timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard-1024.png"))
        browser.close()


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["--port", "70000"], "--port"),
        (["--port", "abc"], "--port"),
        (["--host", "no-such-host.invalid"], "--host"),
        (["--host", "192.0.2.1"], "--host"),  # an address (TEST-NET-1) of no machine here
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_address_is_one_line_exit_2(args, key):
    proc = subprocess.run(
        [sys.executable, "-m", "imsim.views.dashboard", *args], capture_output=True, text=True
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and key in lines[0], proc.stderr


def test_a_busy_port_is_one_line_exit_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "imsim.views.dashboard", "--port", str(port)],
            capture_output=True,
            text=True,
        )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "in use" in lines[0], proc.stderr
