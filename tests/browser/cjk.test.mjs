// A Chinese-language site in the browser (issue 20), on the invented tests/fixtures/zh site:
// a Chinese paragraph is set in a CJK font with CJK line breaking, and the search page, in
// the site's language (English), finds Chinese articles by Chinese words inside a sentence
// and finds an entity and every article about it by the entity's name in either script.
//
// Run with tests/browser/run.sh (or `node --test` here); GLOSS_BIN names the binary.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { copySite, launchChromium, removeSite, repo, startServer } from "./lib.mjs";

const STEP = 30_000;
const FLOOD = "青石市水务局召开防汛会议";
const BRIDGE = "青石河大桥完成加固";
const REPORT = "Qingshi Water Bureau warns of an early flood season";

let site, server, browser, page;
const problems = [];

before(async () => {
  site = await copySite(path.join(repo, "tests/fixtures/zh"));
  server = await startServer(site);
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(STEP);
  page.on("pageerror", (e) => problems.push(`script error: ${e}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.on("requestfailed", (r) => r.url().includes("/__gloss/events") || problems.push(`failed: ${r.url()}`));
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (site) await removeSite(site);
});

/// The result titles for `term`, retrying until some appear (the preview's index is built
/// after the first build is served) or `ms` pass.
async function search(term, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    await page.goto(new URL(`search/?q=${encodeURIComponent(term)}`, server.url).href);
    const titles = await page
      .locator(".pagefind-ui__result-title")
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => page.locator(".pagefind-ui__result-title").allInnerTexts())
      .catch(() => []);
    if (titles.length > 0 || Date.now() > deadline) {
      // The other results' excerpts are still loading; leaving the page now would abort
      // them, and the next test would count those aborted requests as failures.
      await page.waitForLoadState("networkidle");
      return titles.map((t) => t.trim());
    }
  }
}

test("a Chinese word inside a sentence finds its article", { timeout: 120_000 }, async () => {
  // 防汛 and 大桥 are words inside longer runs of Chinese text, with no spaces around them.
  assert.deepEqual(await search("防汛"), [FLOOD]);
  assert.deepEqual(await search("大桥"), [BRIDGE]);
  assert.deepEqual(problems, []);
});

test("a name in either script finds its entity and the articles in both languages", { timeout: 120_000 }, async () => {
  // 周明远 is written in Chinese in both Chinese articles and as Zhou Mingyuan in the English one.
  for (const name of ["周明远", "Zhou Mingyuan"]) {
    const titles = await search(name);
    for (const want of ["周明远", FLOOD, BRIDGE, REPORT]) {
      assert.ok(titles.includes(want), `${name}: ${want} not in ${JSON.stringify(titles)}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("a Chinese paragraph gets the CJK fonts and line breaking", { timeout: 120_000 }, async () => {
  await page.goto(new URL("articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/", server.url).href);
  const style = (sel) =>
    page.locator(sel).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { font: s.fontFamily, lineBreak: s.lineBreak };
    });
  const chinese = await style('p.block-text[lang="zh"]');
  assert.match(chinese.font, /^"Noto Sans CJK SC"/, chinese.font);
  assert.equal(chinese.lineBreak, "strict");
  // The English note beside it keeps the theme's fonts; its Chinese term is marked.
  const note = await style(".note-body p");
  assert.doesNotMatch(note.font, /^"Noto Sans CJK/, note.font);
  assert.match(await style('.note-body span[lang="zh"]').then((s) => s.font), /"Noto Sans CJK SC"/);
  assert.deepEqual(problems, []);
});

test("a translation sits beside its original on wide screens and under it on phones", { timeout: 120_000 }, async () => {
  const url = new URL("articles/qing-shi-shi-shui-wu-ju-zhao-kai-fang-xun-hui-yi/", server.url).href;
  // Every row: the original paragraph's box and its translation's, with their languages.
  const rows = () =>
    page.locator(".block-pair").evaluateAll((pairs) =>
      pairs.map((pair) => {
        const [original, translation] = [...pair.children].map((el) => {
          const r = el.getBoundingClientRect();
          return { lang: el.lang, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        });
        return { original, translation };
      }),
    );
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(url);
  const wide = await rows();
  assert.equal(wide.length, 3);
  for (const { original, translation } of wide) {
    assert.equal(original.lang, "zh");
    assert.equal(translation.lang, "en");
    // Two columns, each paragraph level with its original.
    assert.ok(translation.left >= original.right, JSON.stringify({ original, translation }));
    assert.ok(Math.abs(translation.top - original.top) < 1, JSON.stringify({ original, translation }));
  }
  // The notes' margin stays clear of both columns.
  const noteLeft = await page.locator("li.note").first().evaluate((el) => el.getBoundingClientRect().left);
  assert.ok(noteLeft >= wide[0].translation.right, `note at ${noteLeft}`);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  const narrow = await rows();
  for (const { original, translation } of narrow) {
    // Stacked: the translation under its original, in the same column, inside the screen.
    assert.ok(translation.top >= original.bottom, JSON.stringify({ original, translation }));
    assert.ok(translation.left >= original.left && translation.right <= 390, JSON.stringify(translation));
  }
  assert.deepEqual(problems, []);
});
