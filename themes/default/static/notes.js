// gloss article notes: an enhancement, the page reads the same without it.
//
// Wide screens: each note is placed in the margin level with its highlight. A note that
// would overlap the one above is pushed down, and a note that would push the next one far
// from its highlight (or run past the end of the text) is shortened, with "More" to open
// it. Narrow screens: notes stay folded under their paragraph (plain <details>).
// Everywhere: hovering or focusing a highlight marks its note, and the other way round.
(() => {
  "use strict";
  // Live reload (`gloss serve`) runs this script again over a swapped-in page: what the
  // previous run listened to on the window goes with its page.
  window.__glossNotes?.abort();
  const off = (window.__glossNotes = new AbortController()).signal;
  const text = document.querySelector(".article-text");
  if (!text) return;
  const wide = matchMedia("(min-width: 62rem)");
  const notes = [...text.querySelectorAll("li.note")];
  const markOf = (note) => document.getElementById(note.dataset.ann);
  // Space between stacked notes.
  const GAP = 12;

  const setOpen = (open) => {
    for (const d of document.querySelectorAll(".note-fold, .summary-more")) d.open = open;
  };

  // A shortened note keeps at least three lines, and "More" takes about this much room.
  const MIN_CONTENT = 62;
  const MORE_H = 26;
  // A note pushed this far below its highlight gets a link back to it, about this tall.
  const AWAY = 160;
  const BACK_H = 22;
  // How far the notes may run past the end of the text, as a share of the text's height.
  const OVERRUN = 0.6;

  const unclamp = (note) => {
    note.classList.remove("is-clamped");
    note.style.removeProperty("--clamp");
    note.querySelector(".note-more")?.remove();
  };

  const clamp = (note, cut) => {
    const content = note.querySelector(".note-content");
    note.classList.add("is-clamped");
    note.style.setProperty("--clamp", `${cut}px`);
    const more = document.createElement("button");
    more.type = "button";
    more.className = "note-more";
    const hint = document.createElement("span");
    hint.className = "vh";
    hint.textContent = ` of note ${note.value}`;
    more.append("More", hint);
    more.addEventListener("click", () => {
      note.dataset.expanded = "1";
      layout();
      note.querySelector("summary")?.focus();
    });
    content.after(more);
  };

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

  // Wide screens: every note level with its highlight where there is room, pushed below
  // the note above where there is not. When the stack would run too far past the text, the
  // longest notes are shortened to one common height, the largest that fits.
  const layout = () => {
    for (const n of notes) {
      unclamp(n);
      backLink(n, false);
    }
    if (!wide.matches) {
      text.classList.remove("notes-placed");
      text.style.removeProperty("min-height");
      for (const n of notes) n.style.removeProperty("top");
      return;
    }
    text.classList.add("notes-placed");
    text.style.removeProperty("min-height");
    const origin = text.getBoundingClientRect().top;
    // Where the text ends (the notes, placed absolutely, would count in scrollHeight).
    const blocks = text.querySelectorAll(".block-text");
    const textEnd = blocks.length ? blocks[blocks.length - 1].getBoundingClientRect().bottom - origin : 0;
    const ideal = notes.map((n) => {
      const m = markOf(n);
      return m ? m.getBoundingClientRect().top - origin - 4 : 0;
    });
    const full = notes.map((n) => n.offsetHeight);
    const content = notes.map((n) => n.querySelector(".note-content")?.offsetHeight ?? 0);
    // The height of note i when notes are capped at `cap`, and the content height it keeps.
    const sized = (i, cap) => {
      if (notes[i].dataset.expanded || full[i] <= cap || !content[i]) return [full[i], null];
      const rest = full[i] - content[i];
      const cut = Math.max(MIN_CONTENT, cap - rest - MORE_H);
      if (cut >= content[i] - 8) return [full[i], null];
      return [rest + cut + MORE_H, cut];
    };
    const place = (cap) => {
      let floor = 0;
      return notes.map((n, i) => {
        const top = Math.max(ideal[i], floor);
        const away = top - ideal[i] > AWAY;
        const [h, cut] = sized(i, cap);
        floor = top + h + (away ? BACK_H : 0) + GAP;
        return { top, cut, away, bottom: floor };
      });
    };
    const limit = textEnd * (1 + OVERRUN);
    const end = (plan) => (plan.length ? plan[plan.length - 1].bottom : 0);
    let plan = place(Infinity);
    if (end(plan) > limit) {
      // The largest common cap that keeps the stack within the limit (or the smallest cap).
      let lo = 0;
      let hi = Math.max(...full);
      while (hi - lo > 4) {
        const mid = (lo + hi) / 2;
        if (end(place(mid)) > limit) hi = mid;
        else lo = mid;
      }
      plan = place(lo);
    }
    plan.forEach(({ top, cut, away }, i) => {
      const n = notes[i];
      n.style.top = `${top}px`;
      if (cut !== null) clamp(n, cut);
      backLink(n, away);
    });
    const floor = end(plan);
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
  wide.addEventListener("change", apply, { signal: off });
  let pending = 0;
  addEventListener(
    "resize",
    () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(layout);
    },
    { signal: off },
  );
  // Narrow: opening a note from a link (#note-…) or a highlight's number unfolds it.
  const openTarget = () => {
    const t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const d = t?.closest?.("li.note")?.querySelector(".note-fold");
    if (d) d.open = true;
  };
  addEventListener("hashchange", openTarget, { signal: off });
  apply();
  openTarget();
  document.fonts?.ready.then(layout);
  addEventListener("load", layout, { once: true, signal: off });
})();
