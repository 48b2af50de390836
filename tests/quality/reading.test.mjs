// (e) Reading: the article text is continuous on a wide screen however many notes it has,
// notes do not make the page much taller than its text, folded notes keep phone pages
// short, and an entity page quotes each sentence once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { SITE_DIR, articlePaths, launch, urlOf } from "./lib.mjs";

// The limits of issue 13: a gap between paragraphs a reader sees as a break in the text,
// how much taller than its text alone an article page may be, and the longest phone page
// allowed for the bundled briefing's longest article (004, about 500 words, 17 notes).
const MAX_GAP = 120;
const MAX_RATIO = 1.6;
const PHONE_MAX = 5000;
const LONGEST = "articles/us-china-step-up-military-talks/";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(p, width) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  const res = await page.goto(urlOf(p), { waitUntil: "load" });
  assert.equal(res.status(), 200, `${urlOf(p)} answered ${res.status()}`);
  await page.evaluate(() => document.fonts.ready);
  return { ctx, page };
}

const pageHeight = (page) => page.evaluate(() => document.documentElement.scrollHeight);
// The page as it would be without any note: the height its text alone needs.
const withoutNotes = (page) =>
  page.addStyleTag({ content: ".article-text .notes { display: none !important; } .article-text { min-height: 0 !important; }" });

for (const p of articlePaths()) {
  test(`1440 px: continuous text, page at most ${MAX_RATIO}× its text: ${p}`, { timeout: 60_000 }, async () => {
    const { ctx, page } = await open(p, 1440);
    try {
      const gaps = await page.$$eval(".article-text .block-text", (els) =>
        els.slice(1).map((el, i) => {
          const prev = els[i].getBoundingClientRect();
          const r = el.getBoundingClientRect();
          return { gap: Math.round(r.top - prev.bottom), at: el.textContent.trim().slice(0, 50) };
        }),
      );
      const big = gaps.filter((g) => g.gap > MAX_GAP);
      assert.deepEqual(big, [], `gaps over ${MAX_GAP}px before these paragraphs`);
      // Every note is beside the text, not under it.
      const inMargin = await page.$$eval("li.note", (ns) => {
        const text = document.querySelector(".article-text .block-text").getBoundingClientRect();
        return ns.every((n) => n.getBoundingClientRect().left >= text.right);
      });
      assert.ok(inMargin, "every note sits in the margin to the right of the text");
      const full = await pageHeight(page);
      await withoutNotes(page);
      const text = await pageHeight(page);
      console.log(`${p}: ${full}px with notes, ${text}px text alone (${(full / text).toFixed(2)}×)`);
      assert.ok(full <= MAX_RATIO * text, `${full}px is more than ${MAX_RATIO} × ${text}px`);
    } finally {
      await ctx.close();
    }
  });

  test(`390 px: notes fold to one line under their paragraph: ${p}`, { timeout: 60_000 }, async () => {
    const { ctx, page } = await open(p, 390);
    try {
      const notes = await page.$$eval("li.note", (ns) =>
        ns.map((n) => ({ id: n.id, open: n.querySelector("details")?.open ?? true, height: n.getBoundingClientRect().height })),
      );
      assert.deepEqual(notes.filter((n) => n.open).map((n) => n.id), [], "notes open on a phone");
      assert.deepEqual(notes.filter((n) => n.height > 64).map((n) => n.id), [], "folded notes taller than one line");
      const full = await pageHeight(page);
      console.log(`${p}: ${full}px at 390 px with notes folded`);
      if (p === LONGEST) assert.ok(full < PHONE_MAX, `${full}px at 390 px`);
      // One tap opens a note, showing its text.
      if (notes.length) {
        await page.click(`#${notes[0].id} summary`);
        assert.ok(await page.$eval(`#${notes[0].id}`, (n) => n.querySelector("details").open && n.querySelector(".note-body, .refs")?.getBoundingClientRect().height > 0));
      }
    } finally {
      await ctx.close();
    }
  });
}

const entityPaths = () => {
  const dir = path.join(SITE_DIR, "entities");
  return readdirSync(dir)
    .filter((d) => statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((d) => `entities/${d}/`);
};

test("entity pages quote each sentence at most once", { timeout: 120_000 }, async () => {
  const repeated = [];
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await ctx.newPage();
    for (const p of entityPaths()) {
      await page.goto(urlOf(p), { waitUntil: "load" });
      // Every quoted piece of an article on the page: sentences, passages, quotations.
      const quotes = await page.$$eval("main .sentence, main blockquote, main q", (els) =>
        els.map((e) => e.textContent.replace(/→|Read this in the article/g, "").replace(/\s+/g, " ").trim()).filter((t) => t.length > 20),
      );
      const seen = new Map();
      for (const q of quotes) seen.set(q, (seen.get(q) || 0) + 1);
      for (const [q, n] of seen) if (n > 1) repeated.push(`${p}: ${n}× "${q.slice(0, 60)}"`);
      // A shorter quotation inside a quoted sentence is the same words quoted again.
      for (const a of quotes) for (const b of quotes) if (a !== b && b.includes(a)) repeated.push(`${p}: "${a.slice(0, 60)}" again inside a longer quote`);
    }
  } finally {
    await ctx.close();
  }
  assert.deepEqual(repeated, []);
});
