// Search in the preview: under `gloss serve` the search page finds pages as soon as it is
// opened (the index is built in the background after the first build), finds a word saved
// into a note after the next rebuild, and nothing it loads fails (no 404, no script error).
//
// Run with tests/browser/run.sh (or `node --test` here); GLOSS_BIN names the binary.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { atomicSave, copySite, launchChromium, removeSite, startServer, withMarker } from "./lib.mjs";

const ARTICLE = "content/articles/000_f984aa62be9d85eb.yaml";
const STEP = 30_000;

let site, server, browser, page;
const problems = [];

before(async () => {
  site = await copySite();
  server = await startServer(site);
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(STEP);
  page.on("pageerror", (e) => problems.push(`script error: ${e}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  // Leaving a page aborts its live-reload event stream; that is not a failure.
  page.on("requestfailed", (r) => r.url().includes("/__gloss/events") || problems.push(`failed: ${r.url()}`));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (site) await removeSite(site);
});

/// Searches for `term` on the search page and returns the result titles, retrying until
/// some appear (the index may still be refreshing) or `ms` pass.
async function search(term, ms = STEP) {
  const deadline = Date.now() + ms;
  for (;;) {
    await page.goto(new URL(`search/?q=${encodeURIComponent(term)}`, server.url).href);
    const titles = await page
      .locator(".pagefind-ui__result-title")
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => page.locator(".pagefind-ui__result-title").allInnerTexts())
      .catch(() => []);
    if (titles.length > 0 || Date.now() > deadline) return titles;
  }
}

test("the search page finds the briefing's pages while previewing", { timeout: 120_000 }, async () => {
  const titles = await search("crisis");
  assert.ok(titles.length > 0, "no results for `crisis`");
  assert.doesNotMatch(await page.locator("#search").innerText(), /index is missing|could not build/);
  assert.deepEqual(problems, []);
});

test("a word saved into a note is found after the rebuild", { timeout: 120_000 }, async () => {
  const word = `glossword${Date.now()}`;
  const original = await readFile(path.join(site, ARTICLE), "utf8");
  await atomicSave(path.join(site, ARTICLE), withMarker(original, word));
  const titles = await search(word, 60_000);
  assert.equal(titles.length, 1, `one page has ${word}: ${titles}`);
  assert.deepEqual(problems, []);
});
