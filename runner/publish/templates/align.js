// Aligned reading on a lesson page: pointing at a line of one program, or tabbing to the first line of a
// part, lights up the lines of every program that do the same thing. The lines carry their groups, the
// innermost first, in data-align (runner/model/alignment.py, from the examples' marker comments).
(() => {
  const programs = document.querySelector(".programs");
  if (!programs) return;
  let lit = null;
  const light = (group) => {
    if (group === lit) return;
    for (const line of programs.querySelectorAll(".line.aligned")) line.classList.remove("aligned");
    lit = group;
    if (group) {
      for (const line of programs.querySelectorAll(`.line[data-align~="${CSS.escape(group)}"]`)) {
        line.classList.add("aligned");
      }
    }
  };
  const groupOf = (node) => {
    const line = node instanceof Element ? node.closest(".line[data-align]") : null;
    return line ? line.dataset.align.split(" ")[0] : null;
  };
  const focused = () => (programs.contains(document.activeElement) ? groupOf(document.activeElement) : null);
  // The pointer's line first; where it points at no part, the part that has the keyboard's focus stays lit.
  programs.addEventListener("mouseover", (event) => light(groupOf(event.target) || focused()));
  programs.addEventListener("mouseleave", () => light(focused()));
  programs.addEventListener("focusin", (event) => light(groupOf(event.target)));
  programs.addEventListener("focusout", (event) => {
    if (!programs.contains(event.relatedTarget)) light(null);
  });
})();
