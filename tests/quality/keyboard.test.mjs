// (c) Keyboard use: the skip link comes first and works; highlights are tab stops with a
// visible focus style and are tied to their notes for screen readers; notes can be reached.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { articlePaths, launch, pageKinds, settle, urlOf } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(p, kind) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const res = await page.goto(urlOf(p), { waitUntil: "load" });
  assert.equal(res.status(), 200, `${urlOf(p)} answered ${res.status()}`);
  await settle(page, kind);
  return { ctx, page };
}

// What has focus, and whether the browser draws a focus indicator on it: an outline or a
// box-shadow (the two ways the theme marks :focus-visible).
const focused = () => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    text: (el.textContent || "").trim().slice(0, 40),
    visible: outline || cs.boxShadow !== "none",
    inViewport: (() => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; })(),
  };
};

for (const [kind, p] of Object.entries(pageKinds())) {
  test(`skip link is the first tab stop and moves focus to the main content: ${kind}`, { timeout: 30_000 }, async () => {
    const { ctx, page } = await open(p, kind);
    try {
      await page.keyboard.press("Tab");
      const first = await page.evaluate(focused);
      assert.match(String(first.cls), /\bskip-link\b/, `first tab stop is <${first.tag} class="${first.cls}">${first.text}`);
      assert.ok(first.inViewport && first.visible, "the focused skip link is on screen with a focus style");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === "main", null, { timeout: 5_000 });
      // The next tab stop is inside <main>, not back in the header.
      await page.keyboard.press("Tab");
      assert.ok(await page.evaluate(() => document.querySelector("main").contains(document.activeElement)), "Tab after the skip link lands inside <main>");
    } finally {
      await ctx.close();
    }
  });
}

test("every tab stop of an article shows focus, and every highlight and note is reached", { timeout: 120_000 }, async () => {
  const { ctx, page } = await open(pageKinds().article, "article");
  try {
    const marks = await page.$$eval("mark[tabindex]", (ms) => ms.map((m) => m.id));
    const notes = await page.$$eval("li.note", (ns) => ns.map((n) => n.id));
    assert.ok(marks.length > 0, "the article has highlights");
    const seenMarks = new Set();
    const seenNotes = new Set();
    const invisible = [];
    // Tab until focus wraps back to the skip link (or a generous bound).
    for (let i = 0; i < 2_000; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(focused);
      if (i > 0 && /\bskip-link\b/.test(f.cls)) break;
      if (f.tag === "body") break;
      if (!f.visible) invisible.push(`<${f.tag} id="${f.id}" class="${f.cls}">${f.text}`);
      if (f.tag === "mark") seenMarks.add(f.id);
      const note = await page.evaluate(() => document.activeElement.closest("li.note")?.id);
      if (note) seenNotes.add(note);
    }
    assert.deepEqual(invisible, [], "tab stops without a visible focus style");
    assert.deepEqual(marks.filter((m) => !seenMarks.has(m)), [], "highlights never reached with Tab");
    assert.deepEqual(notes.filter((n) => !seenNotes.has(n)), [], "notes with nothing reachable with Tab");
  } finally {
    await ctx.close();
  }
});

test("every highlight is described by an existing note", { timeout: 60_000 }, async () => {
  const problems = [];
  for (const p of articlePaths()) {
    const { ctx, page } = await open(p, "article");
    try {
      problems.push(
        ...(await page.$$eval("mark.hl", (ms) =>
          ms.flatMap((m) => {
            const ids = (m.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
            if (ids.length === 0) return [`mark ${m.id || m.dataset.ann} has no aria-describedby`];
            return ids.filter((id) => !document.getElementById(id)?.matches("li.note")).map((id) => `mark ${m.id || m.dataset.ann}: aria-describedby="${id}" is not a note`);
          }),
        )).map((s) => `${p}: ${s}`),
      );
    } finally {
      await ctx.close();
    }
  }
  assert.deepEqual(problems, []);
});
