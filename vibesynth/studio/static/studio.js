// The studio page: one request at a time from here, and the server queues renders behind one worker.
"use strict";

const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);
const state = { versions: [], current: null, trail: [], fields: [] };
const NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

function withToken(url) {
  return token ? `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : url;
}

async function call(path, body) {
  const options = { headers: { "Content-Type": "application/json" } };
  if (token) options.headers["X-Studio-Token"] = token;
  if (body !== undefined) { options.method = "POST"; options.body = JSON.stringify(body); }
  const reply = await fetch(path, options);
  const data = await reply.json().catch(() => ({}));
  if (!reply.ok) throw new Error(typeof data.detail === "string" ? data.detail : `the server answered ${reply.status}`);
  return data;
}

function status(text, kind) {
  const line = $("status");
  line.textContent = text;
  line.className = kind || "";
}

async function busy(label, work) {
  const buttons = document.querySelectorAll("button, select");
  buttons.forEach((b) => { if (!b.classList.contains("tab")) b.disabled = true; });
  status(`${label}…`, "busy");
  try {
    const result = await work();
    status("ready");
    return result;
  } catch (err) {
    status(err.message, "error");
    return null;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function show(version, remember = true) {
  if (remember && state.current !== null && state.current !== version.version) state.trail.push(state.current);
  state.current = version.version;
  if (!state.versions.some((v) => v.version === version.version)) state.versions.push(version);
  $("now").hidden = false;
  $("now-label").textContent = `v${version.version}: ${version.label}`;
  const player = $("player");
  player.src = withToken(version.audio);
  player.play().catch(() => {});
  $("download-wav").href = withToken(version.audio);
  $("download-json").href = withToken(version.sidecar);
  $("undo").disabled = state.trail.length === 0;
  fill("changes", version.changes.map((c) => `${c.field}: ${c.from} → ${c.to} (${c.words})`));
  fill("notes", version.notes);
  controls(version);
  history();
}

function fill(id, lines) {
  const list = $(id);
  list.replaceChildren(...lines.map((line) => { const li = document.createElement("li"); li.textContent = line; return li; }));
}

function controls(version) {
  const moved = new Set(version.changes.map((c) => c.field));
  const box = $("controls");
  box.replaceChildren(...state.fields.map((field) => {
    const label = document.createElement("label");
    label.textContent = field.name;
    const select = document.createElement("select");
    select.id = `field-${field.name}`;
    select.dataset.field = field.name;
    for (const value of field.values) {
      const option = document.createElement("option");
      option.value = JSON.stringify(value);
      option.textContent = String(value);
      option.selected = value === version.config[field.name];
      select.append(option);
    }
    if (moved.has(field.name)) select.classList.add("moved");
    select.addEventListener("change", () => change(field.name, JSON.parse(select.value)));
    label.append(select);
    return label;
  }));
}

function history() {
  const list = $("history");
  list.replaceChildren(...state.versions.map((v) => {
    const li = document.createElement("li");
    li.textContent = `v${v.version}: ${v.label}`;
    li.id = `version-${v.version}`;
    if (v.version === state.current) li.className = "current";
    li.addEventListener("click", () => show(v));
    return li;
  }));
}

async function make(event) {
  event.preventDefault();
  const vibe = $("vibe").value.trim();
  const made = await busy("rendering", () => call("api/render", { vibe }));
  if (made) show(made);
}

async function refine(event) {
  event.preventDefault();
  const instruction = $("instruction").value.trim();
  const made = await busy("refining", () => call("api/refine", { version: state.current, instruction }));
  if (made) { $("instruction").value = ""; show(made); }
}

async function change(field, value) {
  const made = await busy(`setting ${field}`, () => call("api/set", { version: state.current, field, value }));
  if (made) show(made);
}

function undo() {
  const back = state.trail.pop();
  const version = state.versions.find((v) => v.version === back);
  if (version) show(version, false);
}

async function playDJ(event) {
  event.preventDefault();
  const played = await busy("playing the set", () => call("api/dj", { brief: $("brief").value.trim(), bars: Number($("bars").value) }));
  if (played) {
    $("dj-info").textContent = `${played.brief}: ${played.bpm} BPM, palette ${played.palette}`;
    $("dj-player").src = withToken(played.audio);
    $("dj-player").play().catch(() => {});
  }
}

async function playNote(note) {
  const design = $("dx7-design").value.trim();
  const ask = design ? { design, note } : { voice: Number($("dx7-voice").value), note };
  const played = await busy(`playing ${noteName(note)}`, () => call("api/dx7", ask));
  if (played) {
    $("dx7-info").textContent = `${played.voice}, ${noteName(played.note)}`;
    $("dx7-player").src = withToken(played.audio);
    $("dx7-player").play().catch(() => {});
  }
}

function noteName(note) {
  return `${NOTE_NAMES[note % 12]}${Math.floor(note / 12) - 1}`;
}

async function dx7Setup() {
  const found = await call("api/dx7/voices");
  const select = $("dx7-voice");
  select.replaceChildren(...found.voices.map((name, i) => {
    const option = document.createElement("option");
    option.value = String(i + 1);
    option.textContent = `${i + 1} ${name}`;
    return option;
  }));
  if (found.note) $("dx7-info").textContent = `${found.note} (designed voices still play)`;
  const keys = $("keyboard");
  for (let note = 60; note <= 72; note += 1) {
    const key = document.createElement("button");
    key.type = "button";
    key.id = `key-${note}`;
    key.textContent = noteName(note);
    if (NOTE_NAMES[note % 12].includes("#")) key.classList.add("black");
    key.addEventListener("click", () => playNote(note));
    keys.append(key);
  }
}

function tabs() {
  document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
    document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.id !== `panel-${tab.dataset.panel}`; });
  }));
}

async function start() {
  tabs();
  $("vibe-form").addEventListener("submit", make);
  $("refine-form").addEventListener("submit", refine);
  $("undo").addEventListener("click", undo);
  $("dj-form").addEventListener("submit", playDJ);
  try {
    state.fields = (await call("api/fields")).fields;
    state.versions = (await call("api/versions")).versions;
    history();
    await dx7Setup();
  } catch (err) {
    status(err.message, "error");
  }
}

start();
