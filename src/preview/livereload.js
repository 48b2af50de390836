// gloss live reload: injected only by `gloss serve`, never in a built site.
//
// Listens to the server's build events (Server-Sent Events) and, after each rebuild:
// swaps this page's new version in place if it changed, or reloads it where a swap cannot
// do (keeping the reader's place either way), swaps changed stylesheets without a reload, and shows a failed build's errors in an overlay over the
// last good page until the next good build.
(() => {
  "use strict";
  if (window.__glossLiveReload || typeof EventSource === "undefined") return;
  window.__glossLiveReload = true;

  const me = document.currentScript;
  const src = new URL(me ? me.src : location.href, location.href);
  // The build this page came from; the server tags the script URL with it.
  let build = src.searchParams.get("build") || "";
  // The server's stand-in page while the site has never built: any good build replaces it.
  const waiting = src.searchParams.has("waiting");
  const endpoint = src.pathname.replace(/livereload\.js$/, "events");
  const scrollKey = "gloss:scroll:" + location.pathname;
  const reloadedKey = "gloss:reloaded-for";

  const decode = (p) => {
    try {
      return decodeURIComponent(p);
    } catch (_) {
      return p;
    }
  };
  const pathOf = (u) => {
    const p = decode(new URL(u, location.href).pathname);
    return p.endsWith("/index.html") ? p.slice(0, -"index.html".length) : p;
  };

  // The reader's place is kept as an element and its distance from the top of the window,
  // not as a pixel offset: an edit above the window changes every offset below it. The
  // element is the first highlight in view, else the first paragraph or heading in view.
  const ANCHORS = "main mark[id], main h1, main h2, main h3, main p, main li, main blockquote";
  const anchorKey = (el) => (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 80);
  const placeOf = () => {
    const all = [...document.querySelectorAll(ANCHORS)];
    const visible = all.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
    });
    // A highlight whose top is in view beats a paragraph that began above the window.
    const inView = (el) => el.getBoundingClientRect().top >= 0;
    const el =
      visible.find((e) => e.matches("mark[id]") && inView(e)) ||
      visible.find(inView) ||
      visible[0];
    if (!el) return { x: scrollX, y: scrollY };
    return {
      x: scrollX,
      y: scrollY,
      id: el.matches("mark[id]") ? el.id : "",
      index: all.indexOf(el),
      key: anchorKey(el),
      top: el.getBoundingClientRect().top,
    };
  };
  const findPlace = (place) => {
    if (place.id) {
      const el = document.getElementById(place.id);
      if (el) return el;
    }
    if (!place.key) return null;
    const all = [...document.querySelectorAll(ANCHORS)];
    // The same element if it still reads the same, else the nearest one that does, else
    // the element now at its position (an edit inside it changed its text).
    if (all[place.index] && anchorKey(all[place.index]) === place.key) return all[place.index];
    const same = all
      .map((el, i) => [el, i])
      .filter(([el]) => anchorKey(el) === place.key)
      .sort((a, b) => Math.abs(a[1] - place.index) - Math.abs(b[1] - place.index));
    if (same.length) return same[0][0];
    return all[place.index] || null;
  };

  // Put the reader back where they were before the reload.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    try {
      const place = JSON.parse(saved);
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      // At once: the theme's smooth scrolling would show the page sliding down from the top.
      const to = (top) => window.scrollTo({ left: place.x, top, behavior: "instant" });
      const restore = () => {
        const el = findPlace(place);
        if (el) to(el.getBoundingClientRect().top + scrollY - place.top);
        else to(place.y);
      };
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore, { once: true });
      else restore();
      addEventListener("load", restore, { once: true });
    } catch (_) {
      /* a corrupt entry only costs the scroll position */
    }
  }

  // Measuring the place lays out the page, which after a swap can take longer than the
  // server takes to answer (20 ms on an article). So it is measured ahead, while the reader
  // is idle: after a scroll, a resize, or anything that changes the page's height (notes
  // placed, a note unfolded, a font loaded), and not at the save. A measure still pending
  // when a build arrives is taken at once.
  let known = null;
  let pending = 0;
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 50));
  const unidle = window.cancelIdleCallback || clearTimeout;
  const measure = () => {
    pending = 0;
    known = placeOf();
  };
  const remeasure = () => {
    if (!pending) pending = idle(measure, { timeout: 250 });
  };
  const currentPlace = () => {
    if (pending || !known) {
      unidle(pending);
      measure();
    }
    return known;
  };
  const resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(remeasure);
  const watchPlace = () => {
    resized?.disconnect();
    if (document.body) resized?.observe(document.body);
    remeasure();
  };
  addEventListener("scroll", remeasure, { passive: true });
  addEventListener("resize", remeasure);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchPlace, { once: true });
  else watchPlace();

  const reload = () => {
    sessionStorage.setItem(scrollKey, JSON.stringify(currentPlace()));
    location.reload();
  };

  // A changed page is swapped in place where it can be: its new body replaces the old one
  // and the reader stays at the same element, with no reload to wait for (no blank page,
  // no stylesheet or script fetched again). It can when the new page uses the same
  // stylesheets and its only scripts are structured data, this one, and scripts marked
  // `data-live-swap` (a theme's promise that the script may run again over a new body);
  // anything else, or a failed fetch, reloads.
  const isSelf = (el) => /\/__gloss\/livereload\.js$/.test(new URL(el.src, location.href).pathname);
  const sheets = (doc) =>
    [...doc.querySelectorAll('link[rel~="stylesheet"][href]')].map((l) => pathOf(l.href)).sort().join(" ");
  const swappable = (doc) =>
    sheets(doc) === sheets(document) &&
    [...doc.scripts].every(
      (el) => (el.type && !/^(text|application)\/(java|ecma)script$|^module$/i.test(el.type)) || (el.src && (isSelf(el) || el.hasAttribute("data-live-swap"))),
    );
  let swaps = 0;
  const refresh = async () => {
    const turn = ++swaps;
    // The request goes out first: the reader's place may still have to be measured.
    const asked = fetch(location.href, { cache: "no-store", headers: { accept: "text/html" } });
    const place = currentPlace();
    let doc;
    try {
      const res = await asked;
      if (!res.ok || !/html/.test(res.headers.get("content-type") || "")) throw new Error(String(res.status));
      doc = new DOMParser().parseFromString(await res.text(), "text/html");
    } catch (_) {
      if (turn === swaps) reload();
      return;
    }
    // A later build's swap has started meanwhile: it shows the newer page.
    if (turn !== swaps) return;
    if (!swappable(doc)) {
      reload();
      return;
    }
    const overlay = document.getElementById(OVERLAY_ID);
    document.title = doc.title;
    document.body.replaceWith(doc.body);
    if (overlay) document.body.append(overlay);
    // Scripts parsed into another document never run; fresh copies of the theme's do.
    const restore = () => {
      const el = findPlace(place);
      window.scrollTo({ left: place.x, top: el ? el.getBoundingClientRect().top + scrollY - place.top : place.y, behavior: "instant" });
    };
    for (const old of document.querySelectorAll("script[data-live-swap][src]")) {
      const fresh = document.createElement("script");
      for (const a of old.attributes) fresh.setAttribute(a.name, a.value);
      fresh.async = false;
      fresh.addEventListener("load", restore, { once: true });
      old.replaceWith(fresh);
    }
    restore();
    watchPlace();
    // When the new text was on screen, for tests and benchmarks (epoch milliseconds).
    document.documentElement.dataset.glossSwapped = String(performance.timeOrigin + performance.now());
  };

  // Whether this page shows any of `urls`: the page itself, or a script or image it uses.
  const showsAny = (urls) => {
    const set = new Set(urls);
    if (set.has(pathOf(location.href))) return true;
    for (const el of document.querySelectorAll("script[src], img[src], source[src], link[rel~=icon][href]")) {
      const u = el.getAttribute("src") || el.getAttribute("href");
      if (u && set.has(pathOf(u))) return true;
    }
    return false;
  };

  const swapStylesheets = (urls) => {
    const set = new Set(urls);
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const u = new URL(link.href, location.href);
      if (u.origin !== location.origin || !set.has(pathOf(u.href))) continue;
      u.searchParams.set("gloss-reload", String(Date.now()));
      // Keep the old sheet until the new one has loaded, so the page never flashes unstyled.
      const next = link.cloneNode();
      next.href = u.href;
      const drop = () => link.remove();
      next.addEventListener("load", drop, { once: true });
      next.addEventListener("error", drop, { once: true });
      link.after(next);
    }
  };

  const OVERLAY_ID = "gloss-overlay";
  const hideOverlay = () => {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  };
  // A quick fix: the quote against the closest passage, what only the quote has struck
  // out and what the seed has instead underlined; or the nearest existing ids.
  const fixView = (fix) => {
    const view = document.createElement("div");
    view.className = "fix";
    if (fix.kind === "passage") {
      view.append(`the quote against ${fix.place} (struck out: only in the quote; underlined: what the seed has instead)`);
      const passage = document.createElement("q");
      for (const part of fix.parts || []) {
        const tag = part.side === "quote" ? "del" : part.side === "seed" ? "ins" : "span";
        const run = document.createElement(tag);
        run.textContent = part.text;
        passage.append(run);
      }
      view.append(passage);
    } else if (fix.kind === "ids") {
      view.append("nearest existing ids: ");
      (fix.ids || []).forEach((id, i) => {
        if (i > 0) view.append(", ");
        const code = document.createElement("code");
        code.textContent = id;
        view.append(code);
      });
    }
    return view;
  };

  const showOverlay = (diagnostics, total) => {
    hideOverlay();
    const host = document.createElement("div");
    host.id = OVERLAY_ID;
    // A shadow root keeps the page's styles off the overlay and the overlay's off the page.
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `
      .box { position: fixed; inset: 0 0 auto 0; max-height: 70vh; overflow: auto; z-index: 2147483647;
        margin: 0; padding: 1rem 1.25rem 1.25rem; box-sizing: border-box;
        background: #fff5f5; color: #1d1d1f; border-bottom: 4px solid #c62828;
        box-shadow: 0 6px 24px rgba(0,0,0,.25); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
      @media (prefers-color-scheme: dark) { .box { background: #2a1515; color: #f3f3f3; } }
      header { display: flex; align-items: baseline; gap: 1rem; }
      h2 { font-size: 1.05rem; margin: 0 0 .5rem; flex: 1; color: inherit; }
      button { font: inherit; cursor: pointer; border: 1px solid currentColor; border-radius: 4px;
        background: transparent; color: inherit; padding: .1rem .6rem; }
      ol { margin: 0; padding-left: 1.4rem; }
      li { margin: .6rem 0; }
      .code { font-weight: 600; color: #c62828; }
      .where { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; opacity: .85; }
      .help { margin-top: .2rem; }
      .help::before { content: "help: "; font-weight: 600; }
      .fix { margin-top: .2rem; }
      .fix::before { content: "fix: "; font-weight: 600; }
      .fix q { display: block; quotes: none; margin: .2rem 0 0 1rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
      .fix del { color: #b71c1c; background: #ffd7d7; }
      .fix ins { color: #1b5e20; background: #d4f4d4; text-decoration: underline; }
      .fix code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }`;
    const box = document.createElement("section");
    box.className = "box";
    box.setAttribute("role", "alert");
    const header = document.createElement("header");
    const title = document.createElement("h2");
    const count = Math.max(total || 0, diagnostics.length);
    const shown = count > diagnostics.length ? ` (the first ${diagnostics.length} here, all in the terminal)` : "";
    title.textContent = `Build failed: ${count} error${count === 1 ? "" : "s"}${shown}. Showing the last good build.`;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.setAttribute("aria-label", "Dismiss the build errors");
    close.addEventListener("click", hideOverlay);
    header.append(title, close);
    const list = document.createElement("ol");
    for (const d of diagnostics) {
      const item = document.createElement("li");
      const head = document.createElement("div");
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = d.code ? `${d.code}: ` : "";
      const message = document.createElement("span");
      message.className = "message";
      message.textContent = d.message || "";
      head.append(code, message);
      item.append(head);
      if (d.file) {
        const where = document.createElement("div");
        where.className = "where";
        where.textContent = d.file + (d.line ? `:${d.line}` : "") + (d.column ? `:${d.column}` : "");
        item.append(where);
      }
      if (d.help) {
        const help = document.createElement("div");
        help.className = "help";
        help.textContent = d.help;
        item.append(help);
      }
      if (d.fix) item.append(fixView(d.fix));
      list.append(item);
    }
    box.append(header, list);
    root.append(style, box);
    document.body.append(host);
  };

  // Applies what changed since this page's build: changed stylesheets are swapped; a
  // changed page is swapped in place, or reloaded when a script or image it uses changed
  // too (a swap would run or show the cached old one).
  const catchUp = (m) => {
    const changed = m.changed || [];
    if (m.css && m.css.length) swapStylesheets(m.css);
    if (showsAny(changed.filter((u) => u !== pathOf(location.href)))) reload();
    else if (showsAny(changed)) refresh();
    build = m.build;
  };

  const onHello = (m) => {
    if (waiting && m.ok) {
      location.reload();
      return;
    }
    if (build && m.build !== build) {
      if (m.complete) {
        // Back after missing some rebuilds (a hidden tab, a dropped connection).
        catchUp(m);
      } else if (sessionStorage.getItem(reloadedKey) !== m.build) {
        // The server restarted, or this page is too old to catch up: reload, once.
        sessionStorage.setItem(reloadedKey, m.build);
        reload();
        return;
      }
    }
    build = m.build;
    if (m.ok) hideOverlay();
    else showOverlay(m.diagnostics || [], m.errors);
  };

  const onBuild = (m) => {
    if (!m.ok) {
      showOverlay(m.diagnostics || [], m.errors);
      return;
    }
    if (waiting) {
      location.reload();
      return;
    }
    hideOverlay();
    catchUp(m);
  };

  const parse = (handler) => (e) => {
    let m;
    try {
      m = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    handler(m);
  };
  // EventSource reconnects by itself after a dropped connection or a server restart,
  // telling the server the last build it saw (Last-Event-ID). A hidden tab lets go of
  // its connection: browsers allow only six per server over HTTP/1.1, and each open
  // stream holds one, so a few background tabs would otherwise stall every new page.
  // Coming back, the page asks what changed since its build and catches up.
  let events = null;
  const connect = () => {
    if (events) return;
    events = new EventSource(`${endpoint}?since=${encodeURIComponent(build)}`);
    events.addEventListener("hello", parse(onHello));
    events.addEventListener("build", parse(onBuild));
  };
  const disconnect = () => {
    if (events) events.close();
    events = null;
  };
  document.addEventListener("visibilitychange", () => (document.hidden ? disconnect() : connect()));
  addEventListener("pagehide", disconnect);
  addEventListener("pageshow", () => document.hidden || connect());
  if (!document.hidden) connect();
})();
