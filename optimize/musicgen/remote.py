"""MusicGen somewhere else: the Modal app (`--remote modal`) or an HTTP endpoint (`--remote URL`).

Both answer a request `{"vibe", "seconds", "seed", "checkpoint"}` with the same
payload: the model-rate mono waveform as base64 float32 (little-endian),
its `sample_rate`, and `model` (the generator's settings). The caller turns
it into a clip exactly as for local generation (optimize.musicgen.clip), so
local and remote renders differ only in where the sampling ran. Neither path
imports torch: the core environment can call a deployed app.
"""

from __future__ import annotations

import base64
import os

import numpy as np

from tools.errors import ConfigError, InputError, ScorerError

APP_NAME = "vibesynth-musicgen"
TOKEN_ENV = "VIBESYNTH_MUSICGEN_TOKEN"
TIMEOUT_S = 900.0


def encode(mono: np.ndarray, sample_rate: int, model: dict) -> dict:
    """The wire payload of one generated waveform."""
    data = np.ascontiguousarray(mono, dtype="<f4")
    return {
        "sample_rate": int(sample_rate),
        "frames": int(data.shape[0]),
        "audio_b64": base64.b64encode(data.tobytes()).decode("ascii"),
        "model": model,
    }


def decode(payload: object, where: str) -> tuple[np.ndarray, int, dict]:
    """(mono float32, sample rate, model settings) from a payload; a malformed one is one line naming `where`."""
    try:
        raw = base64.b64decode(payload["audio_b64"], validate=True)
        mono = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        rate, frames, model = int(payload["sample_rate"]), int(payload["frames"]), dict(payload.get("model") or {})
    except (TypeError, KeyError, ValueError) as err:
        raise InputError(
            f"{where} answered with no usable audio ({type(err).__name__}: {err}); check that it runs optimize/musicgen/modal_app.py"
        ) from None
    if mono.shape[0] != frames or rate <= 0 or not np.all(np.isfinite(mono)):
        raise InputError(
            f"{where} sent {mono.shape[0]} samples at {rate} Hz (expected {frames}, finite); the answer is broken: retry, or redeploy the app"
        )
    return mono, rate, model


def check_remote(remote: str) -> str:
    """`modal` or an http(s) URL; anything else is one line naming both."""
    if remote == "modal" or remote.startswith(("http://", "https://")):
        return remote
    raise ConfigError(
        f"--remote {remote!r} is neither `modal` nor an http(s) URL; pass --remote modal (the deployed {APP_NAME} app) or --remote https://..."
    )


def call(remote: str, request: dict) -> tuple[np.ndarray, int, dict]:
    """Generate on the Modal app or an HTTP endpoint; returns what `decode` returns."""
    check_remote(remote)
    if remote == "modal":
        return decode(_call_modal(request), f"the Modal app {APP_NAME}")
    return decode(_call_url(remote, request), remote)


def _call_modal(request: dict) -> dict:
    try:
        import modal
    except ImportError:
        raise ConfigError("--remote modal needs the modal package; pip install 'vibesynth[modal]' (make setup does)") from None
    try:
        return modal.Function.from_name(APP_NAME, "generate").remote(**request)
    except modal.exception.NotFoundError:
        raise ScorerError(
            f"the Modal app {APP_NAME} is not deployed in this workspace; run `modal deploy optimize/musicgen/modal_app.py` first"
        ) from None
    except modal.exception.AuthError:
        raise ScorerError("Modal refused the credentials; run `modal setup` (or set MODAL_TOKEN_ID/MODAL_TOKEN_SECRET)") from None
    except modal.exception.Error as err:
        raise ScorerError(
            f"the Modal app {APP_NAME} failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}; "
            "see its logs with `modal app logs vibesynth-musicgen`"
        ) from None


def _call_url(url: str, request: dict) -> dict:
    import httpx

    token = os.environ.get(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.post(url, json=request, headers=headers, timeout=TIMEOUT_S)
    except httpx.HTTPError as err:
        raise ScorerError(f"cannot reach {url} ({type(err).__name__}: {err}); check the URL and that the app is deployed") from None
    if response.status_code in (401, 403):
        raise ScorerError(f"{url} refused the request ({response.status_code}); set {TOKEN_ENV} to the app's token")
    if response.status_code != 200:
        raise ScorerError(f"{url} answered {response.status_code}: {response.text[:200]}")
    try:
        return response.json()
    except ValueError:
        raise InputError(f"{url} answered with something that is not JSON; is it the {APP_NAME} app?") from None
