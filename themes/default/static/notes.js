// gloss article notes: an enhancement, the page reads the same without it.
//
// Wide screens: each note is placed in the margin level with its highlight. A note that
// would overlap the one above is pushed down, and a note that would push the next one far
// from its highlight (or run past the end of the text) is shortened, with "More" to open
// it. Narrow screens: notes stay folded under their paragraph (plain <details>).
// Everywhere: hovering or focusing a highlight marks its note, and the other way round.
(() => {
  "use strict";
  const text = document.querySelector(".article-text");
  if (!text) return;
  const wide = matchMedia("(min-width: 62rem)");
  const notes = [...text.querySelectorAll("li.note")];
  const markOf = (note) => document.getElementById(note.dataset.ann);
  // Space between stacked notes, and the least of a note a reader sees when it is shortened.
  const GAP = 12;
  const MIN_SHOWN = 96;
  // A note may push the next one down this far before it is shortened instead.
  const SLACK = 48;

  const setOpen = (open) => {
    for (const d of document.querySelectorAll(".note-fold, .summary-more")) d.open = open;
  };

  const unclamp = (note) => {
    note.classList.remove("is-clamped");
    note.style.removeProperty("--clamp");
    note.querySelector(".note-more")?.remove();
  };

  const clamp = (note, height) => {
    const content = note.querySelector(".note-content");
    if (!content) return;
    const full = content.offsetHeight;
    // At least two lines of the note stay readable, however crowded the margin.
    const cut = Math.max(44, full - (note.offsetHeight - height));
    if (cut >= full - 16) return;
    note.classList.add("is-clamped");
    note.style.setProperty("--clamp", `${cut}px`);
    const more = document.createElement("button");
    more.type = "button";
    more.className = "note-more";
    more.textContent = "More";
    more.setAttribute("aria-label", `Show all of note ${note.value}`);
    more.addEventListener("click", () => {
      note.dataset.expanded = "1";
      layout();
      note.querySelector("summary")?.focus();
    });
    content.after(more);
  };

  // A note pushed this far below its highlight gets a link back to it.
  const AWAY = 160;
  const backLink = (note, away) => {
    const link = note.querySelector(".note-back");
    if (!away) {
      link?.remove();
      return;
    }
    if (link) return;
    const a = document.createElement("a");
    a.className = "note-back";
    a.href = `#${note.dataset.ann}`;
    a.textContent = `↑ Back to the text of note ${note.value}`;
    note.querySelector(".note-fold")?.append(a);
  };

  const layout = () => {
    if (!wide.matches) {
      text.classList.remove("notes-placed");
      text.style.removeProperty("min-height");
      for (const n of notes) {
        unclamp(n);
        backLink(n, false);
        n.style.removeProperty("top");
      }
      return;
    }
    text.classList.add("notes-placed");
    text.style.removeProperty("min-height");
    const origin = text.getBoundingClientRect().top;
    const textEnd = text.scrollHeight;
    const ideal = notes.map((n) => {
      const m = markOf(n);
      return m ? m.getBoundingClientRect().top - origin - 4 : 0;
    });
    let floor = 0;
    notes.forEach((n, i) => {
      unclamp(n);
      const top = Math.max(ideal[i], floor);
      n.style.top = `${top}px`;
      backLink(n, top - ideal[i] > AWAY);
      if (!n.dataset.expanded) {
        // Room before the next note's highlight (or the end of the text), plus some slack.
        const next = i + 1 < notes.length ? ideal[i + 1] : textEnd;
        const room = Math.max(next - top - GAP + SLACK, MIN_SHOWN);
        if (n.offsetHeight > room) clamp(n, room);
      }
      floor = top + n.offsetHeight + GAP;
    });
    if (floor > textEnd) text.style.minHeight = `${floor}px`;
  };

  // Pairs a highlight with its note while either is hovered or focused.
  const pair = (id, on) => {
    const note = document.getElementById(`note-${id}`);
    note?.classList.toggle("is-active", on);
    for (const m of document.querySelectorAll(`mark[data-ann="${CSS.escape(id)}"]`)) m.classList.toggle("is-active", on);
  };
  const idFrom = (el) => el?.closest("mark[data-ann], li.note")?.dataset.ann;
  for (const [enter, leave] of [["mouseover", "mouseout"], ["focusin", "focusout"]]) {
    text.addEventListener(enter, (e) => {
      const id = idFrom(e.target);
      if (id) pair(id, true);
    });
    text.addEventListener(leave, (e) => {
      const id = idFrom(e.target);
      if (id && idFrom(e.relatedTarget) !== id) pair(id, false);
    });
  }

  // A link reached with Tab inside a shortened note opens it, so focus is never hidden.
  text.addEventListener("focusin", (e) => {
    const note = e.target.closest(".note.is-clamped");
    if (note && e.target.closest(".note-content")) {
      note.dataset.expanded = "1";
      layout();
    }
  });

  // On wide screens a note's summary is a label, not a switch: the note stays open.
  text.addEventListener("click", (e) => {
    if (wide.matches && e.target.closest(".note-head")) e.preventDefault();
  });

  // The summary's toggle only where it hides something: more paragraphs, or lines cut off.
  const summaryToggle = () => {
    const more = document.querySelector(".summary-more");
    const lead = document.querySelector(".summary-lead");
    if (!more || !lead || more.open) return;
    more.hidden = !more.textContent.replace("Read the whole summary", "").trim() && lead.scrollHeight <= lead.clientHeight + 2;
  };

  const apply = () => {
    setOpen(wide.matches);
    layout();
    summaryToggle();
  };
  wide.addEventListener("change", apply);
  let pending = 0;
  addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(layout);
  });
  // Narrow: opening a note from a link (#note-…) or a highlight's number unfolds it.
  const openTarget = () => {
    const t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const d = t?.closest?.("li.note")?.querySelector(".note-fold");
    if (d) d.open = true;
  };
  addEventListener("hashchange", openTarget);
  apply();
  openTarget();
  document.fonts?.ready.then(layout);
  addEventListener("load", layout, { once: true });
})();
