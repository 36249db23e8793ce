"""The classroom in real browsers: a trainer and three trainees, each in their own context.

Debian's Chromium driven by Playwright (as ``test_dashboard``). The trainees
join with the code, take three roles, see only their own levers, send
decisions (one of them first with a bad number); the trainer closes two
turns, asks what if, and writes the debrief. Screenshots of the trainer's
page, a trainee's page and the debrief are kept in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import urllib.request

import pytest
from classroom_server import serve
from test_dashboard import ARTIFACTS, CHROMIUM, FLAGS

TURN = "text=/turn {turn}, month {month}/"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing under CI; .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with serve(
        tmp_path_factory.mktemp("classroom"), "--scenario", "drc_relapse", "--seed", "3"
    ) as room:
        yield room


def api_state(base: str) -> dict:
    return json.loads(urllib.request.urlopen(f"{base}/api/state", timeout=10).read())


def watching(new_context, requested: list[str]):
    """``browser.new_context`` whose pages record every address they request."""

    def make(**kw):
        context = new_context(**kw)
        context.on("request", lambda request: requested.append(request.url))
        return context

    return make


def join(browser, base: str, code: str, name: str, role: str, turn: int = 1, size=(1300, 950)):
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(base + "/")
    page.wait_for_selector("text=Join the exercise", timeout=60_000)
    page.get_by_label("session code").fill(code)
    page.get_by_label("your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_selector("text=Pick a free role", timeout=30_000)
    page.get_by_role("button", name=role, exact=True).click()
    page.wait_for_selector(f"text={role}: your decision for turn {turn}", timeout=30_000)
    return page


def field(page, label: str):
    """The input of a text field, found by its label's words."""
    return page.locator(".v-input").filter(has_text=label).locator("input").first


def choose(page, label: str, option: str) -> None:
    page.locator(".v-select").filter(has_text=label).click()
    page.locator(".v-list-item").filter(has_text=option).first.click()


def send(page, turn: int) -> None:
    page.get_by_role("button", name=f"Send decision for turn {turn}").click()
    page.wait_for_selector(f"text=Decision for turn {turn} sent", timeout=30_000)


def test_a_trainer_and_three_trainees_play_two_turns(classroom):
    from playwright.sync_api import sync_playwright

    base, code = classroom["base"], classroom["code"]
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        browser.new_context = watching(browser.new_context, requested)
        trainer = browser.new_context(viewport={"width": 1700, "height": 1100}).new_page()
        trainer.goto(classroom["trainer"])
        trainer.wait_for_selector("text=Close turn 1", timeout=60_000)
        assert trainer.locator(".imsim-code").inner_text().strip() == code

        ana = join(browser, base, code, "Ana", "Force Commander")
        ben = join(browser, base, code, "Ben", "DSRSG/RC/HC")
        cleo = join(browser, base, code, "Cleo", "SRSG")
        # each sees its own levers only
        shown = {name: page.inner_text("body") for name, page in (("ana", ana), ("ben", ben),
                                                                    ("cleo", cleo))}  # fmt: skip
        assert "armed escorts for humanitarians" in shown["ana"]
        assert "where the HC and OCHA sit" not in shown["ana"]
        assert "where the HC and OCHA sit" in shown["ben"] and "armed escorts" not in shown["ben"]
        assert "call elections at the start of the next turn" in shown["cleo"]
        # a taken role cannot be taken twice
        dan = browser.new_context().new_page()
        dan.goto(base + "/")
        dan.wait_for_selector("text=Join the exercise", timeout=60_000)
        dan.get_by_label("session code").fill(code)
        dan.get_by_label("your name").fill("Dan")
        dan.get_by_role("button", name="Join").click()
        dan.wait_for_selector("text=Pick a free role", timeout=30_000)
        assert dan.get_by_role("button", name="Force Commander (Ana)").is_disabled()

        # a bad number is refused in the page, with the key, the value and what is allowed
        share = field(ana, "share of the force deployed")
        share.fill("1.5")
        share.press("Enter")
        ana.get_by_role("button", name="Send decision for turn 1").click()
        ana.wait_for_selector("text=/deployment_share: bad value 1.5/", timeout=30_000)
        share.fill("0.5")
        share.press("Enter")
        choose(ana, "armed escorts for humanitarians", "never")
        send(ana, 1)
        choose(ben, "where the HC and OCHA sit", "two_feet_out")
        send(ben, 1)
        cleo.locator("label").filter(has_text="call elections at the start").click()
        send(cleo, 1)
        trainer.wait_for_function(
            "() => document.body.innerText.split('✔ decided').length - 1 === 3", timeout=30_000
        )

        trainer.get_by_role("button", name="Close turn 1").click()
        for page in (trainer, ana, ben, cleo):
            page.wait_for_selector(TURN.format(turn=2, month=3), timeout=60_000)
        assert "Ana" in trainer.inner_text(
            "body"
        ) and "nobody (the model's own rule)" in trainer.inner_text("body")
        send(ana, 2)  # keeps its course: no change is a decision too
        trainer.get_by_role("button", name="Close turn 2").click()
        for page in (trainer, ana, ben, cleo):
            page.wait_for_selector(TURN.format(turn=3, month=6), timeout=60_000)
        for text in ("escorts never", "hc location two feet out", "elections are"):
            assert text in trainer.inner_text(".imsim-log") or text in json.dumps(
                api_state(base)["log"]
            ), text

        cleo.reload()  # a reload keeps the player and the role
        cleo.wait_for_selector("text=SRSG: your decision for turn 3", timeout=60_000)

        images = trainer.locator("img").count()
        trainer.get_by_role("button", name="Show what if").click()
        trainer.wait_for_function(f"() => document.querySelectorAll('img').length > {images}",
                                  timeout=60_000)  # fmt: skip
        trainer.get_by_role("button", name="Write the debrief").click()
        trainer.wait_for_selector("text=open debrief.pdf", timeout=120_000)
        href = trainer.locator("a", has_text="open debrief.html").get_attribute("href")
        served = urllib.request.urlopen(base + href, timeout=30).read().decode()
        assert "Pivotal moments" in served and "Force Commander" in served

        ARTIFACTS.mkdir(exist_ok=True)
        trainer.screenshot(path=str(ARTIFACTS / "classroom-trainer.png"), full_page=True)
        ana.screenshot(path=str(ARTIFACTS / "classroom-trainee.png"), full_page=True)
        (debrief,) = classroom["folder"].glob("*-debrief/debrief.html")
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(debrief.as_uri())
        page.screenshot(path=str(ARTIFACTS / "classroom-debrief.png"))
        browser.close()

    # served locally: no page asked anything of another host (no CDN)
    elsewhere = [u for u in requested if not u.startswith((base, "data:", "blob:", "file:"))]
    assert requested and not elsewhere, elsewhere[:5]
    state = api_state(base)
    assert state["turn"] == 3 and state["month"] == 6
    assert state["seats"] | {"force": "Ana", "hc": "Ben", "srsg": "Cleo"} == state["seats"]
    (record,) = classroom["folder"].glob("*.json")
    turns = json.loads(record.read_text())["turns"]
    first = turns[0]["decisions"]
    assert first["force"]["changes"] == {"force.escorts": "never", "force.deployment_share": 0.5}
    assert first["hc"]["changes"] == {"integration.hc_location": "two_feet_out"}
    assert first["srsg"]["shocks"] == [{"shock": "elections"}]
    assert set(turns[1]["decisions"]) == {"force"}
    for name in ("classroom-trainer.png", "classroom-trainee.png", "classroom-debrief.png"):
        assert (ARTIFACTS / name).stat().st_size > 20_000


HOSTILE = '<img src=x onerror="window.pwned=1">'


def test_a_hostile_name_is_shown_as_text_and_runs_no_script(classroom):
    """A player named like markup: every page shows the name as text, no page runs it,
    and every page is served with a Content-Security-Policy that forbids inline handlers."""
    from playwright.sync_api import sync_playwright

    base, code, turn = classroom["base"], classroom["code"], api_state(classroom["base"])["turn"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        trainer = browser.new_context(viewport={"width": 1700, "height": 1100}).new_page()
        served = trainer.goto(classroom["trainer"])
        policy = served.headers["content-security-policy"]
        scripts = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'nonce-" in scripts and "'unsafe-inline'" not in scripts
        eve = join(browser, base, code, HOSTILE, "UNHCR", turn)
        fay = join(browser, base, code, "Fay", "OCHA", turn)
        trainer.wait_for_function(
            f"() => document.body.innerText.includes({json.dumps(HOSTILE)})", timeout=30_000
        )
        for page in (trainer, eve, fay):
            page.wait_for_timeout(500)
            assert page.evaluate("window.pwned") is None
        assert HOSTILE in eve.inner_text("body")  # "You are <img ...>", as text
        assert trainer.locator("img[src=x]").count() == 0
        browser.close()


def test_a_phone_and_a_projector(classroom):
    """A trainee on a 390-px phone gets one column with nothing cut off or wider than the
    screen; the trainer's wall fits a 1024x768 projector. Screenshots for README."""
    from playwright.sync_api import sync_playwright

    base, code, turn = classroom["base"], classroom["code"], api_state(classroom["base"])["turn"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        phone = join(browser, base, code, "Gus", "NGOs", turn, size=(390, 844))
        phone.wait_for_timeout(1500)
        phone.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=15_000)
        columns = phone.locator(".imsim-stack > .v-col")
        first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"] - 1  # stacked, not side by side
        assert second["width"] > 300  # the charts take the phone's width
        send_button = phone.get_by_role("button", name=f"Send decision for turn {turn}")
        assert send_button.bounding_box()["width"] <= 390
        wall = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
        wall.goto(classroom["trainer"])
        wall.wait_for_selector(f"text=Close turn {turn}", timeout=60_000)
        wall.wait_for_timeout(1500)
        wall.wait_for_function("document.documentElement.scrollWidth <= 1024", timeout=15_000)
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "classroom-trainee-390.png"), full_page=True)
        wall.screenshot(path=str(ARTIFACTS / "classroom-trainer-1024.png"))
        browser.close()
