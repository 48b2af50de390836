// Zoom, filters and arrow keys for the home page's timeline. The axis, its marks and the
// list are built into the page; this script only adds ways to look at them, and keeps
// what the reader chose in the address (?zoom=year&tag=…) so that a view can be linked.
(() => {
  // Live reload (`gloss serve`) runs this script again over a swapped-in page: what the
  // previous run listened to on the window goes with its page.
  window.__glossTimeline?.abort();
  const off = (window.__glossTimeline = new AbortController()).signal;
  const root = document.querySelector(".timeline");
  const chart = root && root.querySelector(".tl-chart");
  const form = root && root.querySelector(".tl-controls");
  if (!chart || !form) return;
  const scroll = chart.querySelector(".tl-scroll");
  const track = chart.querySelector(".tl-track");
  const status = form.querySelector(".tl-status");
  const selects = [...form.querySelectorAll("select")];
  const days = parseFloat(chart.dataset.days) || 365;
  // How many days each zoom level shows across the chart's width.
  const WINDOW = { all: Infinity, decade: 3653, year: 366, month: 61 };
  const entries = new Map([...root.querySelectorAll(".tl-e")].map((e) => [e.id, e]));
  const marks = [...chart.querySelectorAll(".tl-m")];
  const params = new URLSearchParams(location.search);
  // The stylesheet says which way the axis runs: across on wide screens, down on phones.
  const vertical = () => getComputedStyle(chart).getPropertyValue("--tl-axis").trim() === "vertical";
  let level = WINDOW[params.get("zoom")] ? params.get("zoom") : "all";
  for (const s of selects) s.value = params.get(s.name) || "";
  form.hidden = false;

  function save() {
    const p = new URLSearchParams();
    if (level !== "all") p.set("zoom", level);
    for (const s of selects) if (s.value) p.set(s.name, s.value);
    const q = p.toString();
    history.replaceState(null, "", (q ? `?${q}` : location.pathname) + location.hash);
  }

  // Zooming keeps the moment in the middle of the view where it was: the chart scrolls
  // sideways across a wide screen, the page scrolls down a phone's axis.
  function zoom(next) {
    const down = vertical();
    const before = track.getBoundingClientRect();
    const centre = down
      ? (innerHeight / 2 - before.top) / before.height
      : (scroll.scrollLeft + scroll.clientWidth / 2) / scroll.scrollWidth;
    level = next;
    track.style.setProperty("--zoom", String(Math.max(1, days / WINDOW[level])));
    chart.dataset.zoom = level;
    for (const b of form.querySelectorAll("[data-zoom]")) {
      b.setAttribute("aria-pressed", String(b.dataset.zoom === level));
    }
    if (down) {
      const after = track.getBoundingClientRect();
      if (centre > 0 && centre < 1) scrollBy(0, after.top + centre * after.height - innerHeight / 2);
    } else {
      scroll.scrollLeft = centre * scroll.scrollWidth - scroll.clientWidth / 2;
    }
  }

  function filter() {
    const want = selects.filter((s) => s.value).map((s) => [s.name, s.value]);
    const attr = { tag: "tags", entity: "entities", outlet: "outlet" };
    let shown = 0;
    for (const e of entries.values()) {
      const ok = want.every(([k, v]) => (e.dataset[attr[k]] || "").split(" ").includes(v));
      e.hidden = !ok;
      shown += ok;
    }
    for (const m of marks) {
      const out = Boolean(entries.get(m.hash.slice(1))?.hidden);
      m.classList.toggle("is-out", out);
      if (out) m.setAttribute("tabindex", "-1");
      else m.removeAttribute("tabindex");
    }
    for (const y of root.querySelectorAll(".tl-year")) {
      y.hidden = want.length > 0 && !y.querySelector(".tl-e:not([hidden])");
    }
    chart.classList.toggle("is-filtered", want.length > 0);
    status.textContent = want.length ? `${shown} of ${entries.size} entries match` : "";
  }

  form.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-zoom]");
    if (!b) return;
    zoom(b.dataset.zoom);
    save();
  });
  form.addEventListener("change", () => {
    filter();
    save();
  });

  // Opening a mark's entry: the list item's summary unfolds and takes focus.
  function open() {
    const e = entries.get(decodeURIComponent(location.hash.slice(1)));
    const d = e && e.querySelector("details");
    if (!d) return;
    d.open = true;
    d.querySelector("summary").focus({ preventScroll: true });
  }
  addEventListener("hashchange", open, { signal: off });

  // Arrow keys move between marks: along the axis in time within a row (right on a wide
  // screen, down on a phone), across to the nearest mark of the neighbouring row; Home and
  // End to the first and last.
  const rows = [...chart.querySelectorAll(".tl-row")];
  const live = (row) => [...row.querySelectorAll(".tl-m:not(.is-out)")];
  const centre = (m, down) => {
    const r = m.getBoundingClientRect();
    return down ? r.top + r.height / 2 : r.left + r.width / 2;
  };
  chart.addEventListener("keydown", (ev) => {
    const m = ev.target.closest(".tl-m");
    if (!m || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const down = vertical();
    const [later, earlier, after, before] = down
      ? ["ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft"]
      : ["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"];
    const row = m.closest(".tl-row");
    const here = live(row);
    const i = here.indexOf(m);
    let next = null;
    if (ev.key === later) next = here[i + 1];
    else if (ev.key === earlier) next = here[i - 1];
    else if (ev.key === "Home") next = here[0];
    else if (ev.key === "End") next = here[here.length - 1];
    else if (ev.key === after || ev.key === before) {
      const step = ev.key === before ? -1 : 1;
      const x = centre(m, down);
      for (let r = rows.indexOf(row) + step; r >= 0 && r < rows.length && !next; r += step) {
        const there = live(rows[r]).filter((n) => n.offsetParent);
        next = there.sort((a, b) => Math.abs(centre(a, down) - x) - Math.abs(centre(b, down) - x))[0];
      }
    } else return;
    ev.preventDefault();
    next?.focus();
  });

  // A tip with the mark's label follows the pointer and the focus.
  const tip = document.createElement("div");
  tip.className = "tl-tip";
  tip.setAttribute("aria-hidden", "true");
  tip.hidden = true;
  document.body.append(tip);
  const joins = [...chart.querySelectorAll(".tl-joins line")];
  function show(ev) {
    const m = ev.target.closest?.(".tl-m, .tl-count-m, .tl-cut");
    if (!m) return;
    const id = m.hash?.slice(1);
    for (const j of joins) j.classList.toggle("is-lit", id === j.dataset.a || id === j.dataset.e);
    tip.textContent = m.getAttribute("aria-label");
    tip.hidden = false;
    const r = m.getBoundingClientRect();
    const w = tip.offsetWidth;
    tip.style.left = `${Math.max(8, Math.min(innerWidth - w - 8, r.left + r.width / 2 - w / 2)) + scrollX}px`;
    tip.style.top = `${r.top + scrollY - tip.offsetHeight - 8}px`;
  }
  const hide = () => {
    tip.hidden = true;
    for (const j of joins) j.classList.remove("is-lit");
  };
  chart.addEventListener("pointerover", show);
  chart.addEventListener("focusin", show);
  chart.addEventListener("pointerout", hide);
  chart.addEventListener("focusout", hide);

  // Titles beside the marks wherever a row has room before its next mark, as TimelineJS3
  // writes its headlines on its time nav: without them a reader sees dots and must point
  // at each one. Placed again at each zoom, filter and resize; not on a phone's narrow
  // columns, where the list below names every entry.
  function title() {
    for (const t of chart.querySelectorAll(".tl-m-title")) t.remove();
    if (vertical()) return;
    // Every position is read before any title is added, so the page is laid out once.
    const end = track.getBoundingClientRect().right;
    const placed = [];
    for (const row of rows) {
      if (getComputedStyle(row).visibility === "hidden") continue;
      const base = row.getBoundingClientRect().left;
      const here = live(row);
      here.forEach((m, i) => {
        const text = entries.get(m.hash.slice(1))?.querySelector(".tl-title")?.textContent;
        const r = m.getBoundingClientRect();
        const room = (here[i + 1]?.getBoundingClientRect().left ?? end) - r.right - 12;
        if (text && room >= 72) placed.push([row, text, r.right - base + 6, room]);
      });
    }
    for (const [row, text, left, room] of placed) {
      const t = document.createElement("span");
      t.className = "tl-m-title";
      t.setAttribute("aria-hidden", "true");
      t.textContent = text;
      t.style.left = `${left}px`;
      t.style.maxWidth = `${room}px`;
      row.append(t);
    }
  }
  form.addEventListener("click", title);
  form.addEventListener("change", title);
  let resizing = 0;
  addEventListener(
    "resize",
    () => {
      cancelAnimationFrame(resizing);
      resizing = requestAnimationFrame(title);
    },
    { signal: off },
  );

  zoom(level);
  // The page is built unfiltered: only a linked filter needs a pass over every entry.
  if (selects.some((s) => s.value)) filter();
  open();
  // Titles wait for the first frame, so that a long timeline is on screen before they are
  // measured and placed.
  requestAnimationFrame(title);
})();
