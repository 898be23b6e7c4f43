// What both classroom pages share: the API call and how a verdict is shown. Everything a learner or a
// program wrote goes into the page as text (textContent), never as markup.

// A call of the classroom's JSON API; an answer that is not 2xx throws an Error with the API's message.
export async function api(method, path, body, secret) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (secret) headers.Authorization = `Bearer ${secret}`;
  const answer = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await answer.json().catch(() => ({ error: `${answer.status} ${answer.statusText}` }));
  if (!answer.ok) {
    const error = new Error(data.error || `${answer.status} ${answer.statusText}`);
    error.status = answer.status;
    throw error;
  }
  return data;
}

// An element with its text (never parsed as HTML) and class.
export function element(tag, text = "", className = "") {
  const made = document.createElement(tag);
  if (text) made.textContent = text;
  if (className) made.className = className;
  return made;
}

// What `invoke check` says: PASS or NOT YET, each message, then what the program printed.
export function showVerdict(box, verdict) {
  box.replaceChildren();
  const passed = Boolean(verdict.passed);
  box.append(element("h3", `${passed ? "PASS" : "NOT YET"}: ${verdict.lesson} in ${verdict.language}`,
    passed ? "verdict pass" : "verdict not-yet"));
  const list = element("ul", "", "messages");
  for (const message of verdict.messages || []) {
    const item = element("li");
    item.append(element("pre", message));
    list.append(item);
  }
  box.append(list);
  const printed = verdict.run && verdict.run.stdout;
  if (printed && printed.trim()) {
    box.append(element("h4", "your program printed"), element("pre", printed, "output"));
  }
}

// One timeline: a lane per task, a bar per run of it, on an axis from 0 to `end` seconds. Positions are set
// through the style object (CSSOM), which the page's policy allows.
export function drawTimeline(title, lanes, end) {
  const percent = (seconds) => `${(100 * seconds) / end}%`;
  const side = element("figure", "", "timeline");
  side.append(element("figcaption", `${title} (0 to ${end.toFixed(1)} s)`));
  for (const lane of lanes) {
    const row = element("div", "", "lane");
    const track = element("div", "", "track");
    for (const bar of lane.bars) {
      const drawn = element("span", "", `bar bar-${bar.ending}`);
      drawn.style.left = percent(bar.start);
      drawn.style.width = `max(2px, ${percent(bar.end - bar.start)})`;
      drawn.title = `${lane.task}: ${bar.start.toFixed(1)}-${bar.end.toFixed(1)} s, ${bar.ending}`;
      track.append(drawn);
    }
    for (const mark of lane.marks) {
      const drawn = element("span", "", `mark mark-${mark.kind}`);
      drawn.style.left = percent(mark.time);
      drawn.title = `${lane.task}: ${mark.kind} at ${mark.time.toFixed(1)} s`;
      track.append(drawn);
    }
    row.append(element("span", lane.task, "lane-task"), track);
    side.append(row);
  }
  return side;
}

// The learner's timeline beside a right program's, on one time axis.
export function showTimelines(box, timelines) {
  if (!timelines) return;
  const figure = element("div", "", "timelines");
  figure.append(drawTimeline("yours", timelines.yours, timelines.end),
    drawTimeline("a right program", timelines.right, timelines.end));
  box.append(figure);
}

// The code editor (CodeMirror, built by ./bootstrap); without it, a plain text box.
export async function loadEditor() {
  try {
    return (await import("/editor/editor.js")).createEditor;
  } catch {
    return (parent, text, language, changed) => {
      const box = element("textarea", "", "plain-editor");
      box.value = text;
      box.spellcheck = false;
      box.addEventListener("input", () => changed(box.value));
      parent.append(box);
      return { text: () => box.value, replace: (next) => { box.value = next; }, destroy: () => box.remove() };
    };
  }
}

export function say(box, text) {
  box.textContent = text || "";
}
