"""The listening page: a FastAPI app over one pack folder.

    GET  /                   the page (plain HTML/JS/CSS, nothing loaded from outside)
    GET  /static/{name}      its script and style
    GET  /api/next?rater=R   the rater's next pair {pair: {id, brief, a, b}, done, total}
    GET  /audio/{token}.wav  a clip of the pack (opaque name; only clips in the manifest)
    POST /api/vote           {rater, pair_id, choice: A|B, vibe_a, vibe_b, key}

Each rater hears the pairs in their own order (seeded by the pack's seed and
the rater id), so order effects average out across raters. The key (which
system is A) never leaves the server. With a token, every request but the
page's script and style must carry it as `?token=` or the `X-Listen-Token` header.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import numpy as np
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from optimize.listen.pack import load_pack, manifest_digest
from optimize.listen.votes import VoteConflict, VoteStore, check_rater

STATIC = Path(__file__).with_name("static")
STATIC_FILES = {"app.js": "text/javascript", "style.css": "text/css"}


class Ballot(BaseModel):
    rater: str
    pair_id: str
    choice: str
    vibe_a: int | None = Field(default=None, ge=1, le=5)
    vibe_b: int | None = Field(default=None, ge=1, le=5)
    key: str


def rater_order(n_pairs: int, pack_seed: int, rater: str) -> list[int]:
    """The rater's own order of the pairs (stable for a rater id)."""
    digest = hashlib.sha256(f"{pack_seed}:{rater}".encode()).digest()
    return [int(i) for i in np.random.default_rng(int.from_bytes(digest[:8], "big")).permutation(n_pairs)]


def create_app(pack_dir: Path, votes_path: Path | None = None, token: str | None = None) -> FastAPI:
    manifest = load_pack(pack_dir)
    store = VoteStore(votes_path or pack_dir / "votes.sqlite", manifest_digest(pack_dir))
    pairs = {pair.id: pair for pair in manifest.pairs}
    audio_files = {Path(clip.file).name: pack_dir / clip.file for clip in manifest.clips.values()}

    def authorise(request: Request) -> None:
        if token is None:
            return
        given = request.headers.get("x-listen-token") or request.query_params.get("token") or ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token: open the link with ?token=... as given by the organiser")

    app = FastAPI(title="vibesynth listening test", docs_url=None, redoc_url=None, openapi_url=None)
    guarded = [Depends(authorise)]

    @app.get("/", response_class=HTMLResponse, dependencies=guarded)
    def page() -> HTMLResponse:
        html = (STATIC / "index.html").read_text().replace("{{title}}", _escape(manifest.title))
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @app.get("/static/{name}")  # the page's own script and style: nothing of the pack, no token needed
    def static(name: str) -> FileResponse:
        if name not in STATIC_FILES:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

    @app.get("/audio/{name}", dependencies=guarded)
    def audio(name: str) -> FileResponse:
        if name not in audio_files:
            raise HTTPException(404, "no such clip in this pack")
        return FileResponse(audio_files[name], media_type="audio/wav")

    @app.get("/api/next", dependencies=guarded)
    def next_pair(rater: str) -> dict:
        _check_rater(rater)
        voted = store.voted_pairs(rater)
        total = len(manifest.pairs)
        for index in rater_order(total, manifest.seed, rater):
            pair = manifest.pairs[index]
            if pair.id not in voted:
                a, b = (Path(manifest.clips[t].file).name for t in (pair.a, pair.b))
                return {"pair": {"id": pair.id, "brief": pair.brief, "a": f"audio/{a}", "b": f"audio/{b}"}, "done": len(voted), "total": total}
        return {"pair": None, "done": len(voted), "total": total}

    @app.post("/api/vote", dependencies=guarded)
    def vote(ballot: Ballot) -> dict:
        _check_rater(ballot.rater)
        if ballot.pair_id not in pairs:
            raise HTTPException(422, f"no pair {ballot.pair_id!r} in this pack")
        try:
            stored, created = store.record(
                idem_key=ballot.key,
                rater=ballot.rater,
                pair_id=ballot.pair_id,
                choice=ballot.choice,
                vibe_a=ballot.vibe_a,
                vibe_b=ballot.vibe_b,
            )
        except VoteConflict as err:
            raise HTTPException(409, str(err)) from None
        except ValueError as err:
            raise HTTPException(422, str(err)) from None
        return {"id": stored.id, "created": created}

    return app


def _check_rater(rater: str) -> None:
    try:
        check_rater(rater)
    except ValueError as err:
        raise HTTPException(422, str(err)) from None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
