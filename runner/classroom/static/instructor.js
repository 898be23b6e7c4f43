// The instructor's page: the room's table (learners x exercises) kept live by polling, any check opened,
// and the exports. The secret comes in the URL's fragment (never sent to the server in a URL) and is then
// kept in this tab only (sessionStorage).
import { api, element, say, showTimelines, showVerdict } from "./common.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
if (location.hash.length > 1) {
  sessionStorage.setItem("rosetta:instructor", decodeURIComponent(location.hash.slice(1)));
  history.replaceState(null, "", location.pathname);
}
const secret = sessionStorage.getItem("rosetta:instructor") || "";

function cellText(cell) {
  if (!cell) return "";
  const mark = cell.latest.state !== "done" ? "…" : cell.passed ? "✓" : "✗";
  return `${mark} ${cell.tries}`;
}

function draw(progress) {
  say($("room"), progress.room);
  say($("queue"), `${progress.running} being checked, ${progress.queued} waiting`);
  const head = element("tr");
  head.append(element("th", "learner"), ...progress.exercises.map((e) => element("th", e.lesson)));
  $("progress").tHead.replaceChildren(head);
  $("progress").tBodies[0].replaceChildren(...progress.learners.map((learner) => {
    const row = element("tr");
    row.append(element("th", learner.name));
    for (const exercise of progress.exercises) {
      const cell = learner.cells[exercise.lesson];
      const td = element("td", cellText(cell), cell ? (cell.passed ? "passed" : "tried") : "");
      td.dataset.lesson = exercise.lesson;
      if (cell) {
        td.tabIndex = 0;
        td.title = `${learner.name}, ${exercise.lesson}: ${cell.tries} tries in ${cell.languages.join(", ")}`;
        td.addEventListener("click", () => openCheck(cell.latest.id));
      }
      row.append(td);
    }
    return row;
  }));
  const sections = Object.entries(progress.mistakes).map(([lesson, list]) => {
    const part = element("div");
    const items = element("ul");
    items.append(...list.map((m) => element("li", `${m.count}× ${m.mistake}`)));
    part.append(element("h3", lesson), items);
    return part;
  });
  $("mistakes").replaceChildren(...(sections.length ? [element("h2", "What goes wrong most"), ...sections] : []));
}

async function openCheck(id) {
  try {
    const check = await api("GET", `/api/checks/${id}`, undefined, secret);
    $("submission").hidden = false;
    say($("submission-title"), `${check.learner}: ${check.lesson} in ${check.language}, check ${check.id} (${check.state})`);
    if (check.verdict) {
      showVerdict($("submission-verdict"), check.verdict);
      showTimelines($("submission-verdict"), check.timelines);
    }
    else $("submission-verdict").replaceChildren();
    say($("submission-source"), check.source);
  } catch (error) {
    say($("error"), error.message);
  }
}

async function download(format) {
  try {
    const answer = await fetch(`/api/export.${format}`, { headers: { Authorization: `Bearer ${secret}` } });
    if (!answer.ok) throw new Error((await answer.json()).error);
    const link = element("a");
    link.href = URL.createObjectURL(await answer.blob());
    link.download = `classroom.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    say($("error"), error.message);
  }
}

async function poll() {
  try {
    draw(await api("GET", "/api/progress", undefined, secret));
    say($("error"), "");
  } catch (error) {
    say($("error"), error.message);
  }
  setTimeout(poll, POLL_MS);
}

$("export-csv").addEventListener("click", () => download("csv"));
$("export-json").addEventListener("click", () => download("json"));
poll();
