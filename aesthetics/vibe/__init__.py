"""`vibe`: a text-aware judge that is a PROXY for CLAP, offline and weight-light.

It does not know what audio "sounds like" a text the way LAION-CLAP does; it
places both on the same ten perceptual axes (`aesthetics.vibe.axes`: pace,
energy, brightness, space, density, valence, grit, percussion, width,
register) and compares them:

- text: the project's one reader (`aesthetics.vibe.reader`: explicit musical
  terms with negation and intensity, scene/feeling concepts, MiniLM neighbours
  for unknown words, VADER valence norms, axis anchors as the last resort)
  -> target, confidence and sources per axis;
- audio: descriptors per axis (`aesthetics.vibe.audio`), each mapped to [0, 1] by
  the empirical CDF of a render corpus (`calibration.json`), averaged per axis;
- agreement = sum(conf * fit(target, measured)) / sum(conf) (0.5 when the text
  names no axis at all, `vibe_coverage` = sum(conf) says how much it named);
  fit asks for the target's pole when the target leans to one side and for
  closeness when it sits in the middle (`scorer.axis_agreement`; until
  vibe-proxy-4 fit was 1 - |target - measured|, which preferred a faster clip
  for "slow" when both measured low);
- gate = the dsp proxy's quality gate: clip(0.3 + 0.7 * quality / 0.8, 0, 1),
  quality = (PQ - 1) / 9, so broken audio cannot score high;
- the penalized shape of seeds/000 section 5 (`aesthetics.clap.reward`) with
  audio_text_sim = 2 * gate * agreement - 1, audio_bad_sim = 1 - quality and
  text_bad_sim = MiniLM cos(text, mean of BAD_CONCEPTS): `vibe_reward` in [0, 1].

Scores: backend "vibe", no CE/CU/PC/PQ/OBJ; `extra` holds `vibe_reward` (the
CLAP reward slot), `vibe_sim`, `vibe_agreement`, `vibe_quality`, `vibe_gate`,
`vibe_coverage`, `vibe_penalty`, and for every axis `axis_<name>_target`,
`axis_<name>_measured`, `axis_<name>_weight`. `vibesynth score --backend vibe`
also prints the reader's view of the text: every axis it read, with its sources.
"""

from __future__ import annotations

# The package is imported by the reader's users (the rule mapper renders with no scipy.signal or
# pyloudnorm loaded), so the judge, which needs them, loads only when one of its names is used.
_JUDGE_NAMES = ("VERSION", "VibeScorer", "judge", "measured_axes", "require_text")


def __getattr__(name: str):
    if name in _JUDGE_NAMES:
        from aesthetics.vibe import scorer as module

        return getattr(module, name)
    raise AttributeError(f"module 'aesthetics.vibe' has no attribute {name!r}")
