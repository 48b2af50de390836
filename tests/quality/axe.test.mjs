// (b) axe-core finds no WCAG 2.1 A/AA violation on each page kind, in light and dark,
// on a desktop and a phone-width viewport.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch, pageKinds, settle, urlOf } from "./lib.mjs";

const axeSource = createRequire(import.meta.url)("axe-core").source;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// One line per failing node, so that CI's log says what to fix without a re-run.
function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`).join("\n"))
    .join("\n");
}

for (const colorScheme of ["light", "dark"]) {
  for (const width of [1280, 390]) {
    describe(`axe ${colorScheme} ${width}px`, () => {
      for (const [kind, p] of Object.entries(pageKinds())) {
        test(kind, { timeout: 60_000 }, async () => {
          const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
          try {
            const page = await ctx.newPage();
            const res = await page.goto(urlOf(p), { waitUntil: "load" });
            assert.equal(res.status(), 200, `${urlOf(p)} answered ${res.status()}`);
            await settle(page, kind);
            await page.addScriptTag({ content: axeSource });
            const { violations } = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
            assert.equal(violations.length, 0, `${urlOf(p)}:\n${describeViolations(violations)}`);
          } finally {
            await ctx.close();
          }
        });
      }
    });
  }
}
