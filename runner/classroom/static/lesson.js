// A lesson page: the lesson's text, then each language's program in an editor with a Run button; a run goes
// through the classroom's queue and sandbox (one at a time per learner) and its output and timeline show
// under it, beside the other languages'. Everything a program printed goes into the page as text.
import { api, drawTimeline, element, loadEditor, say } from "./common.js";

const $ = (id) => document.getElementById(id);
const WAIT_S = 15; // seconds the server may hold a request for a run's state until it changes
const slug = decodeURIComponent(location.pathname.split("/").pop());

function column(program, createEditor, nonce) {
  const box = element("section", "", "program");
  box.dataset.language = program.language;
  const output = element("div", "", "run-output");
  const state = element("p");
  state.setAttribute("role", "status");
  const run = element("button", `Run ${program.title}`, "primary");
  box.append(element("h3", `${program.title}: ${program.filename}`));
  const holder = element("div", "", "editor");
  box.append(holder, run, state, output);
  const editor = createEditor(holder, program.source, program.language, () => {}, nonce);
  run.addEventListener("click", async () => {
    run.disabled = true;
    say($("error"), "");
    output.replaceChildren();
    try {
      const queued = await api("POST", "/api/runs", { lesson: slug, language: program.language, source: editor.text() });
      let now = queued;
      while (now.state !== "done") {
        say(state, now.state === "running" ? "running in the sandbox…" : `waiting: place ${now.position} in the queue`);
        now = await api("GET", `/api/runs/${queued.id}?wait=${WAIT_S}`);
      }
      const ran = now.verdict.run || {};
      say(state, `${now.verdict.status}` + (ran.wall_ms ? ` after ${(ran.wall_ms / 1000).toFixed(1)} s` : ""));
      for (const message of now.verdict.messages || []) output.append(element("pre", message, "error"));
      output.append(element("pre", ran.stdout || "(it printed nothing)", "output"));
      if (now.timelines) output.append(drawTimeline("its timeline", now.timelines.yours, now.timelines.end));
    } catch (error) {
      say(state, "");
      say($("error"), error.status === 401 ? "Join the room first (the Exercises page), then come back to run programs."
        : error.message);
    } finally {
      run.disabled = false;
    }
  });
  return box;
}

async function start() {
  try {
    const [lessons, lesson, createEditor] = await Promise.all([api("GET", "/api/lessons"),
      api("GET", `/api/lessons/${encodeURIComponent(slug)}`), loadEditor()]);
    $("lesson").replaceChildren(...lessons.map((l) => Object.assign(element("option", l.title), { value: l.lesson })));
    $("lesson").value = slug;
    say($("title"), lesson.title);
    document.title = `${lesson.title} · Async Rosetta classroom`;
    $("text").innerHTML = lesson.text; // the kit's own lesson.md, rendered with raw HTML escaped
    const nonce = document.querySelector('meta[name="style-nonce"]').content;
    $("programs").replaceChildren(...lesson.programs.map((program) => column(program, createEditor, nonce)));
  } catch (error) {
    say($("error"), error.message);
  }
}

$("lesson").addEventListener("change", () => { location.href = `/lessons/${encodeURIComponent($("lesson").value)}`; });
start();
