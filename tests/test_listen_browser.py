"""The listening page in a real browser: Playwright drives Debian's chromium headless.

`make setup` installs chromium (apt) and playwright (pip); Playwright cannot
download its own browser here, so it launches /usr/bin/chromium. Set
VIBESYNTH_LISTEN_SCREENSHOT=docs/listen-page.png to refresh the screenshot of docs/learning/listening.md.
"""

import os

import pytest
from browser_support import CHROMIUM, require_chromium, served

from optimize.listen.pack import build_pack, manifest_digest
from optimize.listen.server import create_app
from optimize.listen.sources import clips_from_path
from optimize.listen.votes import VoteStore

from listen_support import write_renders

pytestmark = pytest.mark.browser
TOKEN = "t0ken-for-ci"


@pytest.fixture
def pack_served(tmp_path):
    require_chromium()
    folders = write_renders(tmp_path / "renders", items=2)
    clips = [c for name, folder in folders.items() for c in clips_from_path(name, folder)]
    build_pack(clips, tmp_path / "pack", seed=2, title="CI listening test")
    with served(create_app(tmp_path / "pack", token=TOKEN)) as base:
        yield base, tmp_path / "pack"


def _playing(page, side):
    return page.evaluate(f"(() => {{ const a = document.getElementById('audio-{side}'); return !a.paused && a.currentTime > 0; }})()")


def test_page_plays_votes_and_the_vote_lands_in_sqlite(pack_served):
    from playwright.sync_api import expect, sync_playwright

    base, pack = pack_served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--autoplay-policy=no-user-gesture-required"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 640})
            outside = []
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
            page.goto(f"{base}/?token={TOKEN}")
            page.fill("#rater-input", "ci-rater")
            page.press("#rater-input", "Enter")
            expect(page.locator("#progress-text")).to_contain_text("0 of 2 pairs rated")
            brief = page.inner_text("#brief")
            assert brief in ("rainy afternoon in Tokyo", "bright summer morning")
            expect(page.locator("#vote-A")).to_be_disabled()
            page.keyboard.press("ArrowLeft")  # voting before listening is refused on the page
            expect(page.locator("#message")).to_contain_text("listen to both")

            page.keyboard.press("a")  # play A
            page.wait_for_function("document.getElementById('audio-A').currentTime > 0.2")
            assert _playing(page, "A")
            page.keyboard.press("2")  # A matches the brief: 2 of 5
            page.keyboard.press("b")  # play B (A pauses)
            page.wait_for_function("document.getElementById('audio-B').currentTime > 0.2")
            assert _playing(page, "B") and not _playing(page, "A")
            page.keyboard.press("5")  # B matches: 5 of 5
            expect(page.locator(".rating[data-side=B] button[aria-checked=true]")).to_have_text("5")
            expect(page.locator("#vote-B")).to_be_enabled()
            if os.environ.get("VIBESYNTH_LISTEN_SCREENSHOT"):
                page.screenshot(path=os.environ["VIBESYNTH_LISTEN_SCREENSHOT"])
            page.keyboard.press("ArrowRight")  # vote B
            expect(page.locator("#progress-text")).to_contain_text("1 of 2 pairs rated")

            second = page.inner_text("#brief")
            assert second != brief
            page.click("button.play[data-side=A]")
            page.wait_for_function("document.getElementById('audio-A').currentTime > 0.1")
            page.click("button.play[data-side=B]")
            page.wait_for_function("document.getElementById('audio-B').currentTime > 0.1")
            page.click("#vote-A")
            expect(page.locator("#done")).to_be_visible()
            expect(page.locator("#progress-text")).to_contain_text("2 of 2 pairs rated")
            assert outside == []  # the page loads nothing from outside the machine
            assert errors == []
        finally:
            browser.close()

    votes = VoteStore(pack / "votes.sqlite", manifest_digest(pack)).all_votes()
    assert [(v.rater, v.choice, v.vibe_a, v.vibe_b) for v in votes] == [("ci-rater", "B", 2, 5), ("ci-rater", "A", None, None)]
    assert len({v.pair_id for v in votes}) == 2
