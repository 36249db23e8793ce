"""Benchmark (h): a live room's waits, in seconds on this machine, with its load.

    python benchmarks/room.py

- start-up: ``imsim-classroom`` started until its API answers;
- page: the trainer's wall loaded in Chromium until its controls show;
- turn close: a 3-month turn closed through the API (the live run steps three months);
- Step and a month of Play: what the dashboard's Step button does (a month of the live
  run) and Play's month (the same, and the figure drawn again).

Goals (issue "The room"): start <= 5 s, a Step <= 0.5 s, a 3-month turn <= 2 s.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_server import serve  # noqa: E402
from test_dashboard import CHROMIUM, FLAGS  # noqa: E402


def post(base: str, path: str, body: dict) -> dict:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        base + "/api" + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def main() -> None:
    from playwright.sync_api import sync_playwright

    from imsim.engines.mesa.live import Live
    from imsim.views.dashboard import live_figure

    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        with serve(Path(folder), "--scenario", "drc_relapse", "--turn-months", "3") as room:
            seconds["start-up (until the API answers)"] = time.perf_counter() - start
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
                page = browser.new_page(viewport={"width": 1024, "height": 768})
                start = time.perf_counter()
                page.goto(room["trainer"])
                page.wait_for_selector("text=Close turn 1", timeout=120_000)
                seconds["trainer's page"] = time.perf_counter() - start
                browser.close()
            closes = []
            for _ in range(3):
                start = time.perf_counter()
                post(room["base"], "/close", {"key": room["key"]})
                closes.append(time.perf_counter() - start)
            seconds["a 3-month turn closed (best of 3)"] = min(closes)
    live = Live("drc_relapse")
    steps, plays = [], []
    for _ in range(5):
        start = time.perf_counter()
        live.step()
        steps.append(time.perf_counter() - start)
        start = time.perf_counter()
        live.step()
        live_figure(live)
        plays.append(time.perf_counter() - start)
    seconds["dashboard Step (best of 5)"] = min(steps)
    seconds["a month of Play (best of 5)"] = min(plays)
    for name, s in seconds.items():
        print(f"{name:40s} {s:6.2f} s")
    print(f"machine load (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
