// Live reload in a real browser (Debian's Chromium through playwright-core): an open
// article page shows a saved edit by itself and keeps the reader's place (the same
// highlight in the same spot, even after an edit above the window), a broken save
// shows the error overlay over the last good page and the fix clears it, the overlay's
// quick fixes mark what a mistyped quote gets wrong and offer the nearest ids, a CSS edit
// applies without a reload, and a restarted server makes the page reload once.
//
// Run with tests/browser/run.sh (or `node --test` here); GLOSS_BIN names the binary.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdir, cp } from "node:fs/promises";
import path from "node:path";
import {
  atomicSave,
  copySite,
  launchChromium,
  median,
  removeSite,
  repo,
  startServer,
  waitForText,
  withMarker,
} from "./lib.mjs";

const ARTICLE = "content/articles/000_f984aa62be9d85eb.yaml";
const ARTICLE_PATH = "articles/gt-mod-announces-crisis-talks/";
const CSS = "themes/default/static/style.css";
const STEP = 20_000;

let site, server, browser, page, original, articleUrl;

before(async () => {
  site = await copySite();
  // A stylesheet override, so test (c) can edit the site's CSS.
  await mkdir(path.join(site, path.dirname(CSS)), { recursive: true });
  await cp(path.join(repo, "themes/default/static/style.css"), path.join(site, CSS));
  server = await startServer(site);
  articleUrl = new URL(ARTICLE_PATH, server.url).href;
  original = await readFile(path.join(site, ARTICLE), "utf8");
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(STEP);
  await page.goto(articleUrl);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (site) await removeSite(site);
});

test("a saved edit shows up by itself, keeping the scroll position", { timeout: 120_000 }, async () => {
  const lags = [];
  for (let i = 0; i < 7; i++) {
    const marker = `gloss-edit-${i}-${Date.now()}`;
    // The theme scrolls smoothly; jump at once so the position read next is where it ends.
    await page.evaluate(() => window.scrollTo({ left: 0, top: 600, behavior: "instant" }));
    const scrolled = await page.evaluate(() => window.scrollY);
    const savedAt = await atomicSave(path.join(site, ARTICLE), withMarker(original, marker));
    const { served } = await waitForText(page, marker, STEP);
    lags.push(served - savedAt);
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, scrolled, { timeout: 5000 });
    // Let the server settle so each measurement is one save.
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`save → page served: median ${median(lags).toFixed(0)} ms [${lags.map((x) => x.toFixed(0)).join(", ")}]`);
  assert.ok(median(lags) < 10_000, "edits arrive");
});

test("an edited article is swapped in place, not reloaded, and its notes script runs again", { timeout: 60_000 }, async () => {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const marker = `gloss-swap-${Date.now()}`;
  await atomicSave(path.join(site, ARTICLE), withMarker(original, marker));
  await waitForText(page, marker, STEP);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded, not swapped");
  assert.ok(await page.evaluate(() => document.documentElement.dataset.glossSwapped), "no swap recorded");
  // notes.js ran over the new body: notes placed in the margin, a highlight marks its note.
  await page.waitForSelector(".article-text.notes-placed");
  const id = await page.evaluate(() => document.querySelector("main mark[id]").id);
  await page.hover(`#${id}`);
  await page.waitForFunction((i) => document.querySelector(`li.note[data-ann="${i}"]`)?.classList.contains("is-active"), id, { timeout: 5000 });
  await atomicSave(path.join(site, ARTICLE), original);
  await page.waitForFunction((m) => !document.body.textContent.includes(m), marker, { timeout: STEP });
});

/// Scrolls the article so that a highlight well down it is 150 px below the top of the
/// window; returns its id.
const scrollToHighlight = () =>
  page.evaluate(() => {
    const marks = [...document.querySelectorAll("main mark[id]")];
    const m = marks[Math.min(8, marks.length - 1)];
    // Instantly: the theme scrolls smoothly, and the position is read at once.
    window.scrollTo({ left: 0, top: m.getBoundingClientRect().top + scrollY - 150, behavior: "instant" });
    return m.id;
  });

test("an edit above the window keeps the reader at the same highlight, not the same offset", { timeout: 60_000 }, async () => {
  // The reader is at a highlight well down the article; an edit to the summary, above the
  // window, makes everything below it taller. The highlight must stay where it was.
  const id = await scrollToHighlight();
  const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
  const marker = `gloss-above-${Date.now()}`;
  const longer = original.replace("summary: |\n", `summary: |\n  ${marker}. ${"A longer summary pushes the text down. ".repeat(40)}\n\n`);
  assert.notEqual(longer, original, "the article has a block summary to lengthen");
  await atomicSave(path.join(site, ARTICLE), longer);
  await waitForText(page, marker, STEP);
  await page.waitForFunction(
    ([i, t]) => Math.abs(document.getElementById(i).getBoundingClientRect().top - t) <= 2,
    [id, top],
    { timeout: 5000 },
  );
  await atomicSave(path.join(site, ARTICLE), original);
  await page.waitForFunction((m) => !document.body.textContent.includes(m), marker, { timeout: STEP });
});

test("the place kept is the one at the save, after the page moved under a still window", { timeout: 60_000 }, async () => {
  // Live reload measures the reader's place ahead of a save, while the reader is idle.
  // Here the page grows above the reader without a scroll (as when notes are placed or a
  // font loads): the place kept must be the highlight's spot after that, not before.
  const id = await scrollToHighlight();
  // Idle long enough for the place at this scroll to be measured.
  await new Promise((r) => setTimeout(r, 500));
  await page.evaluate(async () => {
    // No scroll anchoring: the browser would otherwise scroll to make up for the growth.
    document.documentElement.style.overflowAnchor = "none";
    const grown = document.createElement("div");
    grown.style.height = "300px";
    document.body.prepend(grown);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
  assert.ok(top > 400, `the highlight moved down with the page (${top})`);
  const marker = `gloss-still-${Date.now()}`;
  await atomicSave(path.join(site, ARTICLE), withMarker(original, marker));
  await waitForText(page, marker, STEP);
  await page.waitForFunction(
    ([i, t]) => Math.abs(document.getElementById(i).getBoundingClientRect().top - t) <= 2,
    [id, top],
    { timeout: 5000 },
  );
  await page.evaluate(() => (document.documentElement.style.overflowAnchor = ""));
  await atomicSave(path.join(site, ARTICLE), original);
  await page.waitForFunction((m) => !document.body.textContent.includes(m), marker, { timeout: STEP });
});

test("a broken save shows the overlay over the last good page; the fix clears it", { timeout: 60_000 }, async () => {
  const marker = `gloss-good-${Date.now()}`;
  await atomicSave(path.join(site, ARTICLE), withMarker(original, marker));
  await waitForText(page, marker, STEP);
  await page.evaluate(() => (window.__marker = "still-here"));

  await atomicSave(path.join(site, ARTICLE), `${withMarker(original, marker)}\n  - id: [unclosed\n`);
  const overlay = page.locator("#gloss-overlay .box");
  await overlay.waitFor({ state: "visible" });
  const text = await overlay.innerText();
  assert.match(text, /Build failed/);
  assert.match(text, /yaml-syntax/);
  assert.ok(text.includes(`${ARTICLE}:`), `the overlay names the file and line: ${text}`);
  assert.equal(await page.evaluate(() => window.__marker), "still-here", "the page was not reloaded");
  assert.ok(await page.evaluate((m) => document.body.textContent.includes(m), marker), "the last good page stays");

  // Dismissing hides it; it is the next good build that must clear it otherwise.
  await page.locator("#gloss-overlay button").click();
  assert.equal(await page.locator("#gloss-overlay").count(), 0);
  await atomicSave(path.join(site, ARTICLE), `${withMarker(original, marker)}\n  - id: [still unclosed\n`);
  await overlay.waitFor({ state: "visible" });

  const fixed = `gloss-fixed-${Date.now()}`;
  await atomicSave(path.join(site, ARTICLE), withMarker(original, fixed));
  await waitForText(page, fixed, STEP);
  await page.locator("#gloss-overlay").waitFor({ state: "detached" });
});

test("the overlay's quick fixes: a mistyped quote against its passage, an unknown id's nearest ids", { timeout: 60_000 }, async () => {
  const broken = original
    .replace("holding a virtual meeting for crisis", "holding a virtual meting for crisis")
    .replace("entities: [prc-mnd, cmc-oimc, us-dod]", "entities: [prc-mdn, cmc-oimc, us-dod]");
  assert.notEqual(broken, original, "the article has the quote and the ids this test mistypes");
  await atomicSave(path.join(site, ARTICLE), broken);
  const overlay = page.locator("#gloss-overlay .box");
  await overlay.waitFor({ state: "visible" });
  const items = overlay.locator("li");
  const anchor = items.filter({ hasText: "anchor-not-found" });
  // Only what differs is marked: the seed's missing letter, nothing of the quote.
  assert.deepEqual(await anchor.locator(".fix ins").allInnerTexts(), ["e"]);
  assert.equal(await anchor.locator(".fix del").count(), 0);
  assert.match(await anchor.locator(".fix q").innerText(), /holding a virtual meeting for crisis/);
  const unknown = items.filter({ hasText: "unknown-entity" });
  assert.ok((await unknown.locator(".fix code").allInnerTexts()).includes("prc-mnd"));

  await atomicSave(path.join(site, ARTICLE), original);
  await page.locator("#gloss-overlay").waitFor({ state: "detached" });
});

// Marks the window once it has settled: a fixed build hides the overlay and, in the same
// task, may reload the page, so the previous test's last save can still navigate it.
async function markSettled(page, value) {
  for (let i = 0; i < 20; i++) {
    try {
      await page.waitForLoadState("load");
      await page.evaluate((v) => (window.__marker = v), value);
      await new Promise((r) => setTimeout(r, 300));
      if ((await page.evaluate(() => window.__marker)) === value) return;
    } catch (e) {
      if (!/context was destroyed|navigat/i.test(String(e))) throw e;
    }
  }
  throw new Error("the page kept navigating");
}

test("a CSS edit applies without a reload", { timeout: 60_000 }, async () => {
  await markSettled(page, "css-marker");
  const css = await readFile(path.join(site, CSS), "utf8");
  await atomicSave(path.join(site, CSS), `${css}\nbody { border-top: 7px solid rgb(1, 2, 3) !important; }\n`);
  await page.waitForFunction(() => getComputedStyle(document.body).borderTopWidth === "7px", null, { timeout: STEP });
  assert.equal(await page.evaluate(() => window.__marker), "css-marker", "the page was not reloaded");
  await atomicSave(path.join(site, CSS), css);
  await page.waitForFunction(() => getComputedStyle(document.body).borderTopWidth !== "7px", null, { timeout: STEP });
  assert.equal(await page.evaluate(() => window.__marker), "css-marker");
});

test("a hidden tab lets go of its stream and catches up when shown again", { timeout: 60_000 }, async () => {
  const setHidden = (hidden) =>
    page.evaluate((h) => {
      Object.defineProperty(document, "hidden", { value: h, configurable: true });
      Object.defineProperty(document, "visibilityState", { value: h ? "hidden" : "visible", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);
  await page.evaluate(() => (window.__marker = "hidden-tab"));
  await setHidden(true);
  const marker = `gloss-hidden-${Date.now()}`;
  await atomicSave(path.join(site, ARTICLE), withMarker(original, marker));
  // While hidden, nothing happens: the page has no stream.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await page.evaluate(() => window.__marker), "hidden-tab");
  await setHidden(false);
  await waitForText(page, marker, STEP);
});

test("the page reconnects after a server restart and reloads once", { timeout: 120_000 }, async () => {
  await page.evaluate(() => (window.__marker = "before-restart"));
  const port = new URL(server.url).port;
  await server.stop();
  const marker = `gloss-restart-${Date.now()}`;
  await writeFile(path.join(site, ARTICLE), withMarker(original, marker));
  server = await startServer(site, { port });
  await waitForText(page, marker, 60_000);
  assert.equal(await page.evaluate(() => window.__marker), undefined, "reloaded");
  // Exactly once: the reloaded page stays.
  await page.evaluate(() => (window.__marker = "after-restart"));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await page.evaluate(() => window.__marker), "after-restart");
});

test("a site that never built shows its errors, then itself once fixed", { timeout: 120_000 }, async () => {
  const broken = await copySite();
  const config = path.join(broken, "site.toml");
  const good = await readFile(config, "utf8");
  await writeFile(config, `${good}\ntitel = "typo"\n`);
  const waiting = await startServer(broken);
  const tab = await browser.newPage();
  try {
    const response = await tab.goto(waiting.url);
    assert.equal(response.status(), 503);
    assert.match(await tab.textContent("body"), /titel/);
    await atomicSave(config, good);
    await tab.waitForURL(/china-us-channels\/$/, { timeout: STEP });
    await tab.waitForFunction(() => document.title && !document.title.startsWith("gloss:"), null, { timeout: STEP });
  } finally {
    await tab.close();
    await waiting.stop();
    await removeSite(broken);
  }
});
