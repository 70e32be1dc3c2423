"""The studio page in a real browser (#26 item 5): type a vibe, play, refine, change a control, undo, download,
and the DX7 and DJ tabs. Playwright drives Debian's chromium headless (`make setup` installs it).
Set VIBESYNTH_STUDIO_SCREENSHOT=docs/studio-page.png to refresh the docs' screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import CHROMIUM, require_chromium, served

from vibesynth.studio.server import create_app

pytestmark = pytest.mark.browser
TOKEN = "studio-t0ken"


@pytest.fixture
def studio_served(tmp_path):
    require_chromium()
    with served(create_app(tmp_path / "studio", token=TOKEN, duration=3.0)) as base:
        yield base, tmp_path


def test_make_play_refine_control_undo_download(studio_served):
    from playwright.sync_api import expect, sync_playwright

    base, tmp_path = studio_served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--autoplay-policy=no-user-gesture-required"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900}, accept_downloads=True)
            outside, errors = [], []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
            page.goto(f"{base}/?token={TOKEN}")

            page.fill("#vibe", "rainy afternoon in Tokyo")
            page.press("#vibe", "Enter")
            expect(page.locator("#now-label")).to_have_text("v1: rainy afternoon in Tokyo", timeout=60_000)
            page.wait_for_function("document.getElementById('player').currentTime > 0.2", timeout=30_000)
            tempo_before = page.input_value("#field-tempo")

            page.fill("#instruction", "slower, no drums")
            page.click("#refine")
            expect(page.locator("#now-label")).to_have_text("v2: slower, no drums", timeout=60_000)
            expect(page.locator("#changes")).to_contain_text("rhythm")
            assert page.input_value("#field-rhythm") == '"none"'
            assert page.input_value("#field-tempo") != tempo_before or '"very_slow"' == tempo_before
            page.wait_for_function("document.getElementById('player').currentTime > 0.2", timeout=30_000)

            page.select_option("#field-brightness", '"very_bright"')
            expect(page.locator("#now-label")).to_have_text("v3: brightness = very_bright", timeout=60_000)
            if os.environ.get("VIBESYNTH_STUDIO_SCREENSHOT"):
                page.screenshot(path=os.environ["VIBESYNTH_STUDIO_SCREENSHOT"], full_page=True)

            page.click("#undo")
            expect(page.locator("#now-label")).to_have_text("v2: slower, no drums")
            assert page.input_value("#field-brightness") != '"very_bright"'
            expect(page.locator("#history li")).to_have_count(3)

            with page.expect_download() as wav:
                page.click("#download-wav")
            assert Path(wav.value.path()).read_bytes()[:4] == b"RIFF"
            with page.expect_download() as sidecar:
                page.click("#download-json")
            assert '"history"' in Path(sidecar.value.path()).read_text()

            page.fill("#instruction", "make it better")
            page.click("#refine")
            expect(page.locator("#status")).to_contain_text("reads as an edit")

            page.click("#tab-dx7")
            page.fill("#dx7-design", "warm electric piano")
            page.click("#key-64")
            expect(page.locator("#dx7-info")).to_contain_text("E4", timeout=60_000)
            page.wait_for_function("document.getElementById('dx7-player').currentTime > 0.1", timeout=30_000)

            page.click("#tab-dj")
            page.fill("#brief", "dark warehouse techno, hypnotic")
            page.select_option("#bars", "16")
            page.click("#play-dj")
            expect(page.locator("#dj-info")).to_contain_text("BPM", timeout=120_000)
            assert outside == []  # nothing is loaded from outside the machine
            assert errors == []
        finally:
            browser.close()
    assert sorted(p.name for p in (tmp_path / "studio").glob("0*.wav")) == ["0001.wav", "0002.wav", "0003.wav"]
