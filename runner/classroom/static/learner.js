// The learner's page: join, pick an exercise, edit, check, read the verdict, take hints one at a time.
// The draft is kept in this browser (localStorage) at every edit, so a reload loses nothing.
import { api, element, loadEditor, say, showTimelines, showVerdict } from "./common.js";

const $ = (id) => document.getElementById(id);
const WAIT_S = 15; // seconds the server may hold a request for a check's state until it changes
let me = null;
let exercises = [];
let page = null; // the chosen exercise: task, starters, hints
let editor = null;
let createEditor = null;

const choice = () => ({ lesson: $("exercise").value, language: $("language").value });
const draftKey = () => `rosetta:draft:${me.name}:${choice().lesson}:${choice().language}`;

async function start() {
  try {
    me = await api("GET", "/api/me");
  } catch (error) {
    if (error.status !== 401) return say($("error"), error.message);
    $("room").value = new URLSearchParams(location.search).get("room") || "";
    $("join").hidden = false;
    return;
  }
  await enter();
}

async function enter() {
  $("join").hidden = true;
  $("work").hidden = false;
  say($("who"), `joined as ${me.name}`);
  $("me-actions").hidden = false;
  exercises = await api("GET", "/api/exercises");
  $("exercise").replaceChildren(...exercises.map((e) => Object.assign(element("option", e.title), { value: e.lesson })));
  const kept = JSON.parse(localStorage.getItem(`rosetta:choice:${me.name}`) || "{}");
  if (exercises.some((e) => e.lesson === kept.lesson)) $("exercise").value = kept.lesson;
  fillLanguages(kept.language);
  await open();
  const unfinished = me.submissions.find((s) => s.state !== "done");
  if (unfinished) follow(unfinished.id);
}

function fillLanguages(wanted) {
  const chosen = exercises.find((e) => e.lesson === $("exercise").value);
  $("language").replaceChildren(...chosen.languages.map((l) => Object.assign(element("option", l.title), { value: l.name })));
  if (chosen.languages.some((l) => l.name === wanted)) $("language").value = wanted;
}

let opening = 0; // the latest open(): one started before it (a quick second choice) gives way

async function open() {
  const { lesson, language } = choice();
  const mine = ++opening;
  localStorage.setItem(`rosetta:choice:${me.name}`, JSON.stringify({ lesson, language }));
  const chosen = await api("GET", `/api/exercises/${encodeURIComponent(lesson)}`);
  let text = localStorage.getItem(draftKey());
  if (text === null) {
    const last = [...me.submissions].reverse().find((s) => s.lesson === lesson && s.language === language);
    text = last ? (await api("GET", `/api/checks/${last.id}`)).source : chosen.starters[language];
  }
  if (mine !== opening) return;
  page = chosen;
  $("task").innerHTML = page.task; // the kit's own exercise.md, rendered with raw HTML escaped
  if (editor) editor.destroy();
  const nonce = document.querySelector('meta[name="style-nonce"]').content;
  editor = createEditor($("editor"), text, language, (now) => localStorage.setItem(draftKey(), now), nonce);
  showHints((page.hints_shown || {})[language] || []);
  $("verdict").replaceChildren();
  say($("state"), "");
}

function showHints(hints) {
  $("hints").replaceChildren(...hints.map((hint) => element("li", hint)));
  $("hints-box").hidden = hints.length === 0;
  const total = page.hints[choice().language] || 0;
  $("hint").disabled = hints.length >= total;
  $("hint").textContent = hints.length >= total ? "No more hints" : `Next hint (${hints.length + 1} of ${total})`;
}

async function check() {
  say($("error"), "");
  $("check").disabled = true;
  try {
    const { lesson, language } = choice();
    const queued = await api("POST", "/api/checks", { lesson, language, source: editor.text() });
    me.submissions.push({ id: queued.id, lesson, language, state: "queued" });
    follow(queued.id);
  } catch (error) {
    say($("error"), error.message);
    $("check").disabled = false;
  }
}

async function follow(id) {
  $("check").disabled = true;
  $("verdict").replaceChildren();
  try {
    for (;;) {
      // A long poll: the answer comes as soon as the check starts, ends or moves up the queue.
      const now = await api("GET", `/api/checks/${id}?wait=${WAIT_S}`);
      if (now.state === "done") {
        say($("state"), "");
        showVerdict($("verdict"), now.verdict);
        showTimelines($("verdict"), now.timelines);
        break;
      }
      say($("state"), now.state === "running" ? "running your program in the sandbox…"
        : `waiting: place ${now.position} in the queue`);
    }
  } catch (error) {
    say($("error"), error.message);
  } finally {
    $("check").disabled = false;
  }
}

$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/api/join", { room: $("room").value, name: $("name").value });
    me = await api("GET", "/api/me");
    await enter();
  } catch (error) {
    say($("join-error"), error.message);
  }
});
$("exercise").addEventListener("change", () => { fillLanguages($("language").value); open(); });
$("language").addEventListener("change", () => open());
$("check").addEventListener("click", check);
$("hint").addEventListener("click", async () => {
  try {
    showHints((await api("POST", "/api/hints", choice())).hints);
  } catch (error) {
    say($("error"), error.message);
  }
});
$("reset").addEventListener("click", () => {
  editor.replace(page.starters[choice().language]);
  localStorage.removeItem(draftKey());
});


// What this browser keeps of the learner (drafts, the last choice), under their name.
const keptKeys = (name) => Object.keys(localStorage).filter((key) => key.startsWith(`rosetta:draft:${name}:`)
  || key === `rosetta:choice:${name}`);

$("rename").addEventListener("click", () => {
  $("rename-form").hidden = false;
  $("new-name").value = me.name;
  $("new-name").focus();
});
$("rename-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const old = me.name;
    me.name = (await api("POST", "/api/me/name", { name: $("new-name").value })).name;
    for (const key of keptKeys(old)) {
      const renamed = key.startsWith("rosetta:choice:") ? `rosetta:choice:${me.name}`
        : `rosetta:draft:${me.name}:${key.slice(`rosetta:draft:${old}:`.length)}`;
      localStorage.setItem(renamed, localStorage.getItem(key));
      localStorage.removeItem(key);
    }
    $("rename-form").hidden = true;
    say($("who"), `joined as ${me.name}`);
    say($("error"), "");
  } catch (error) {
    say($("error"), error.message);
  }
});
$("leave").addEventListener("click", async () => {
  try {
    await api("POST", "/api/leave");
  } catch (error) {
    return say($("error"), error.message);
  }
  for (const key of keptKeys(me.name)) localStorage.removeItem(key); // a shared computer keeps nothing of theirs
  location.reload();
});

createEditor = await loadEditor();
await start();
