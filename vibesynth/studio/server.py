"""The studio page: make music in the browser with the same engines as the command line.

    GET  /                      the page (plain HTML/JS/CSS, nothing loaded from outside)
    GET  /static/{name}         its script and style
    GET  /api/fields            every config field with its allowed values (the controls)
    GET  /api/versions          the ambient versions made so far, oldest first
    POST /api/render            {vibe} or {config}: a new ambient version
    POST /api/refine            {version, instruction}: the version's config edited by words, rendered
    POST /api/set               {version, field, value}: one control changed, rendered
    POST /api/dj                {brief, bars}: a DJ set from a brief (reference policy)
    GET  /api/dx7/voices        the factory voices (names), when installed
    POST /api/dx7               {voice | design, note}: one note of a DX7 voice
    GET  /files/{name}          a render's WAV or JSON sidecar (downloads)

Every render runs on one worker thread, in order: two clicks queue, they never
start two heavy renders at once. Versions are files in the studio folder
(`NNNN.wav` + `NNNN.json`, the same sidecar as `vibesynth render`, refine history
included), so a restarted studio shows what was made. With a token, every request
but the page's script and style must carry it as `?token=` or `X-Studio-Token`.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from tools.errors import VibesynthError
from tools.instruments import AMBIENT, DJ, DX7

STATIC = Path(__file__).with_name("static")
STATIC_FILES = {"studio.js": "text/javascript", "studio.css": "text/css"}
# An ambient version is NNNN (.wav + .json sidecar); a take of another instrument carries its name: dj-NNNN, dx7-NNNN.
PREFIXES = {AMBIENT.name: "", DJ.name: f"{DJ.name}-", DX7.name: f"{DX7.name}-"}
FILE_NAME = re.compile("(?:" + "|".join(re.escape(p) + r"\d{4}" for p in PREFIXES.values()) + r")\.(?:wav|json)")


class RenderAsk(BaseModel):
    vibe: str | None = Field(default=None, max_length=500)
    config: dict[str, Any] | None = None


class RefineAsk(BaseModel):
    version: int
    instruction: str = Field(min_length=1, max_length=500)


class SetAsk(BaseModel):
    version: int
    field: str
    value: Any


class DJAsk(BaseModel):
    brief: str = Field(min_length=1, max_length=500)
    bars: int = Field(default=16, ge=8, le=64)


class DX7Ask(BaseModel):
    voice: int | None = Field(default=None, ge=1, le=128)
    design: str | None = Field(default=None, max_length=300)
    note: int = Field(default=60, ge=24, le=108)


class Studio:
    """The folder of versions and the one render worker."""

    def __init__(self, folder: Path, duration: float, seed: int) -> None:
        from tools.files import make_folder

        make_folder(folder)
        self.folder, self.duration, self.seed = folder, duration, seed
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-render")
        self.waiting = 0

    async def run(self, job, *args):
        """Run a render on the worker, after the ones asked before it; user errors become HTTP 422."""
        self.waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.worker, job, *args)
        except VibesynthError as err:
            raise HTTPException(422, str(err)) from None
        finally:
            self.waiting -= 1

    def versions(self) -> list[dict]:
        return [self.describe(int(p.stem)) for p in sorted(self.folder.glob("[0-9][0-9][0-9][0-9].json"))]

    def describe(self, number: int) -> dict:
        info = json.loads((self.folder / f"{number:04d}.json").read_text())
        history = info.get("history") or []
        label = history[-1]["instruction"] if history and info.get("source") == "refine" else info.get("vibe") or "config"
        return {
            "version": number,
            "label": label,
            "config": info["config"],
            "audio": f"files/{number:04d}.wav",
            "sidecar": f"files/{number:04d}.json",
            "changes": history[-1]["changes"] if history else [],
            "notes": [n for n in [info.get("note"), *(history[-1]["notes"] if history else [])] if n],
        }

    def _next(self, prefix: str = "") -> Path:
        pattern = f"{prefix}[0-9][0-9][0-9][0-9].wav"
        taken = [int(p.stem.removeprefix(prefix)) for p in self.folder.glob(pattern)]
        return self.folder / f"{prefix}{max(taken, default=0) + 1:04d}.wav"

    def _source(self, number: int) -> Path:
        path = self.folder / f"{number:04d}.json"
        if not path.is_file():
            raise HTTPException(404, f"no version {number} in this studio")
        return path

    def render(self, source: Any) -> dict:
        from vibesynth.api import render

        path = self._next()
        render(source, duration=self.duration, seed=self.seed).save(path)
        return self.describe(int(path.stem))

    def refine(self, number: int, instruction: str) -> dict:
        from vibesynth.api import refine

        source = self._source(number)
        path = self._next()
        refine(source, instruction).save(path)
        return self.describe(int(path.stem))

    def set_field(self, number: int, field: str, value: Any) -> dict:
        """One control changed: recorded in the history like a refinement ("tempo = fast")."""
        from reference.refiner import Change, Edit
        from vibesynth.api import render
        from vibesynth.configs import from_mapping, parse_overrides
        from vibesynth.refining import history_record, load_source, render_settings

        config, info = load_source(self._source(number))
        edited, _ = from_mapping(config.model_dump(mode="json"), parse_overrides({field: value}))
        change = Change(field, getattr(config, field), getattr(edited, field), "control", "set")
        edit = Edit(edited, (change,), (), "studio control", f"{field} = {getattr(edited, field)}")
        piece = render(edited, **render_settings(info, {}))
        piece.info.update(history_record(info, config, edit))
        path = self._next()
        piece.save(path)
        return self.describe(int(path.stem))

    def dj(self, brief: str, bars: int) -> dict:
        from tools.audio_io import write_audio
        from vibesynth.api import dj

        prefix = PREFIXES[DJ.name]
        played = dj(brief, bars=bars, seed=self.seed, scorer=None, out=self.folder / "dj-runs" / f"{self._next(prefix).stem}")
        path = self._next(prefix)
        write_audio(path, played.audio, played.sample_rate)
        return {
            "audio": f"files/{path.name}",
            "brief": brief,
            "bpm": played.summary.get("bpm"),
            "palette": played.summary.get("brief_choice", {}).get("palette"),
        }

    def dx7(self, voice: int | None, design: str | None, note: int) -> dict:
        from reference.dx7_designer import design as design_voice
        from tools.audio_io import write_audio
        from tools.dx7.engine import Note
        from tools.dx7.factory import factory_voice

        patch = design_voice(design) if design else factory_voice(voice or 1).voice
        audio = DX7.render(patch, sample_rate=44100, notes=[Note(note, 100, 0.0, 1.0, 0.8)])
        path = self._next(PREFIXES[DX7.name])
        write_audio(path, audio, 44100)
        return {"audio": f"files/{path.name}", "voice": patch.name, "note": note}


def create_app(folder: Path, token: str | None = None, duration: float = 20.0, seed: int = 0) -> FastAPI:
    from tools.schema import FIELDS, choices

    studio = Studio(folder, duration, seed)

    def authorise(request: Request) -> None:
        if token is None:
            return
        given = request.headers.get("x-studio-token") or request.query_params.get("token") or ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token: open the link printed by `vibesynth studio` (it ends in ?token=...)")

    app = FastAPI(title="vibesynth studio", docs_url=None, redoc_url=None, openapi_url=None)
    guarded = [Depends(authorise)]

    @app.get("/", response_class=HTMLResponse, dependencies=guarded)
    def page() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(), headers={"Cache-Control": "no-store"})

    @app.get("/static/{name}")  # the page's own script and style: no token needed
    def static(name: str) -> FileResponse:
        if name not in STATIC_FILES:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

    @app.get("/files/{name}", dependencies=guarded)
    def files(name: str) -> FileResponse:
        path = studio.folder / name
        if not FILE_NAME.fullmatch(name) or not path.is_file():
            raise HTTPException(404, "no such file in this studio")
        kind = "audio/wav" if name.endswith(".wav") else "application/json"
        return FileResponse(path, media_type=kind, filename=name)

    @app.get("/api/fields", dependencies=guarded)
    def fields() -> dict:
        return {"fields": [{"name": name, "values": list(choices(name))} for name in FIELDS]}

    @app.get("/api/versions", dependencies=guarded)
    def versions() -> dict:
        return {"versions": studio.versions(), "queue": studio.waiting}

    @app.post("/api/render", dependencies=guarded)
    async def render(ask: RenderAsk) -> dict:
        if (ask.vibe is None or not ask.vibe.strip()) == (ask.config is None):
            raise HTTPException(422, "describe a vibe in words, or send a config")
        return await studio.run(studio.render, ask.vibe.strip() if ask.vibe else ask.config)

    @app.post("/api/refine", dependencies=guarded)
    async def refine(ask: RefineAsk) -> dict:
        return await studio.run(studio.refine, ask.version, ask.instruction)

    @app.post("/api/set", dependencies=guarded)
    async def set_field(ask: SetAsk) -> dict:
        return await studio.run(studio.set_field, ask.version, ask.field, ask.value)

    @app.post("/api/dj", dependencies=guarded)
    async def dj(ask: DJAsk) -> dict:
        return await studio.run(studio.dj, ask.brief, ask.bars)

    @app.get("/api/dx7/voices", dependencies=guarded)
    def dx7_voices() -> dict:
        from tools.dx7.factory import factory_entries

        try:
            return {"voices": [e.voice.name.strip() for e in factory_entries()], "note": None}
        except VibesynthError as err:
            return {"voices": [], "note": str(err)}

    @app.post("/api/dx7", dependencies=guarded)
    async def dx7(ask: DX7Ask) -> dict:
        if (ask.voice is None) == (not ask.design):
            raise HTTPException(422, "choose a factory voice or describe a voice to design")
        return await studio.run(studio.dx7, ask.voice, ask.design, ask.note)

    return app
