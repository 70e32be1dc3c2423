// The listening page: one pair at a time, blind A/B, votes posted with an idempotency key.
"use strict";

const params = new URLSearchParams(location.search);
const token = params.get("token");
const $ = (id) => document.getElementById(id);
const SIDES = ["A", "B"];
const state = { rater: null, pair: null, key: null, heard: {}, ratings: {}, last: null, sending: false };

function withToken(url) {
  if (!token) return url;
  return url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

async function api(url, options = {}) {
  const headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
  if (token) headers["X-Listen-Token"] = token;
  const response = await fetch(url, Object.assign({}, options, { headers }));
  const body = await response.json().catch(() => ({}));
  return { status: response.status, ok: response.ok, body };
}

function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function say(text) { $("message").textContent = text || ""; }

function showProgress(done, total) {
  $("progress").max = Math.max(total, 1);
  $("progress").value = done;
  $("progress-text").textContent = `${done} of ${total} pairs rated` + (state.rater ? ` · rater ${state.rater}` : "");
}

async function loadNext() {
  const { ok, status, body } = await api(`api/next?rater=${encodeURIComponent(state.rater)}`);
  if (!ok) { say(`could not load the next pair (${status}): ${body.detail || "server error"}`); return; }
  showProgress(body.done, body.total);
  if (!body.pair) { $("trial").hidden = true; $("done").hidden = false; return; }
  state.pair = body.pair;
  state.key = newKey();
  state.heard = {}; state.ratings = {}; state.last = null; state.sending = false;
  $("brief").textContent = body.pair.brief || "(no brief given: judge which you prefer)";
  for (const side of SIDES) {
    const audio = $(`audio-${side}`);
    audio.pause();
    audio.src = withToken(body.pair[side.toLowerCase()]);
    $(`side-${side}`).classList.remove("playing", "heard");
  }
  drawRatings();
  updateVoteButtons();
  say("");
  $("trial").hidden = false;
}

function play(side) {
  const audio = $(`audio-${side}`);
  const other = $(`audio-${side === "A" ? "B" : "A"}`);
  other.pause();
  state.last = side;
  if (audio.paused) {
    audio.play().catch((err) => say(`cannot play ${side}: ${err.message}`));
  } else {
    audio.pause();
  }
}

function pauseAll() { for (const side of SIDES) $(`audio-${side}`).pause(); }

function rate(side, value) {
  if (!side) { say("play a clip first, then rate how well it matches the brief"); return; }
  state.ratings[side] = state.ratings[side] === value ? null : value;
  drawRatings();
}

function drawRatings() {
  for (const group of document.querySelectorAll(".rating")) {
    const side = group.dataset.side;
    group.querySelectorAll("button").forEach((b) => b.remove());
    for (let value = 1; value <= 5; value++) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = value;
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", String(state.ratings[side] === value));
      button.setAttribute("aria-label", `${side} matches the brief: ${value} of 5`);
      button.addEventListener("click", () => { state.last = side; rate(side, value); });
      group.appendChild(button);
    }
  }
}

function updateVoteButtons() {
  const ready = SIDES.every((side) => state.heard[side]) && !state.sending;
  for (const side of SIDES) $(`vote-${side}`).disabled = !ready;
}

async function vote(choice) {
  if (!state.pair || state.sending) return;
  if (!SIDES.every((side) => state.heard[side])) { say("listen to both A and B before voting"); return; }
  state.sending = true;
  updateVoteButtons();
  pauseAll();
  const ballot = {
    rater: state.rater, pair_id: state.pair.id, choice, key: state.key,
    vibe_a: state.ratings.A || null, vibe_b: state.ratings.B || null,
  };
  let result;
  try {
    result = await api("api/vote", { method: "POST", body: JSON.stringify(ballot) });
  } catch (err) {
    state.sending = false; updateVoteButtons();
    say("the vote did not reach the server; vote again (it will not be counted twice)");
    return;
  }
  if (result.ok || result.status === 409) { await loadNext(); return; }
  state.sending = false; updateVoteButtons();
  say(`vote refused (${result.status}): ${result.body.detail || "server error"}`);
}

function start(rater) {
  state.rater = rater;
  localStorage.setItem("vibesynth-rater", rater);
  $("rater-form").hidden = true;
  loadNext();
}

for (const side of SIDES) {
  const audio = $(`audio-${side}`);
  audio.addEventListener("playing", () => {
    state.heard[side] = true;
    $(`side-${side}`).classList.add("playing", "heard");
    if (SIDES.every((s) => state.heard[s]) && $("message").textContent.startsWith("listen to both")) say("");
    updateVoteButtons();
  });
  audio.addEventListener("pause", () => $(`side-${side}`).classList.remove("playing"));
  audio.addEventListener("ended", () => $(`side-${side}`).classList.remove("playing"));
}
document.querySelectorAll("button.play").forEach((b) => b.addEventListener("click", () => play(b.dataset.side)));
document.querySelectorAll("button.vote").forEach((b) => b.addEventListener("click", () => vote(b.dataset.choice)));

document.addEventListener("keydown", (event) => {
  if (event.target.tagName === "INPUT" || $("trial").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  if (key === "a" || key === "b") play(key.toUpperCase());
  else if (key === " ") pauseAll();
  else if (key === "ArrowLeft") vote("A");
  else if (key === "ArrowRight") vote("B");
  else if (/^[1-5]$/.test(key)) rate(state.last, Number(key));
  else return;
  event.preventDefault();
});

$("rater-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("rater-input").value.trim();
  if (value) start(value);
});

const initial = params.get("rater") || localStorage.getItem("vibesynth-rater");
if (initial) start(initial); else $("rater-form").hidden = false;
