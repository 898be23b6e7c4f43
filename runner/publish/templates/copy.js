// A copy button on every program listing: it copies the code as the file has it, without the line numbers.
(() => {
  const code = (box) =>
    [...box.querySelectorAll(".line:not(.gap)")]
      .map((line) => [...line.childNodes].filter((node) => !node.classList?.contains("linenos"))
        .map((node) => node.textContent).join(""))
      .join("");
  // Where the clipboard API is refused (a page opened from a file in some browsers): a selection, copied
  // the old way.
  const copyBySelection = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  };
  for (const box of document.querySelectorAll(".code")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the code");
    button.addEventListener("click", async () => {
      const text = code(box);
      let done;
      try {
        await navigator.clipboard.writeText(text);
        done = true;
      } catch {
        done = copyBySelection(text);
      }
      button.textContent = done ? "Copied" : "Select and press Ctrl+C";
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    box.classList.add("has-copy");
    box.prepend(button);
  }
})();
