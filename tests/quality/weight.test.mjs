// (d) Page weight: each page kind needs at most 100 KB of CSS and JS together (the search
// page's Pagefind bundle, loaded only there, aside), and nothing is fetched from any host
// but the site's own: no web fonts, analytics or CDNs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, pageKinds, settle, urlOf } from "./lib.mjs";

const BUDGET = 100 * 1024;
const pagefind = new URL("pagefind/", BASE_URL).href;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [kind, p] of Object.entries(pageKinds())) {
  test(`${kind}: CSS + JS within ${BUDGET / 1024} KB, no other host`, { timeout: 60_000 }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const foreign = [];
      const sized = [];
      page.on("request", (r) => {
        const u = new URL(r.url());
        if (u.protocol !== "data:" && u.host !== BASE_URL.host) foreign.push(r.url());
      });
      page.on("response", (r) => {
        const type = r.request().resourceType();
        if ((type === "stylesheet" || type === "script") && !r.url().startsWith(pagefind)) {
          sized.push(r.body().then((b) => [r.url(), b.length], () => [r.url(), 0]));
        }
      });
      const res = await page.goto(urlOf(p), { waitUntil: "load" });
      assert.equal(res.status(), 200, `${urlOf(p)} answered ${res.status()}`);
      await settle(page, kind);
      await page.waitForLoadState("networkidle");
      const files = await Promise.all(sized);
      const total = files.reduce((n, [, b]) => n + b, 0);
      assert.deepEqual(foreign, [], "requests to other hosts");
      assert.ok(total <= BUDGET, `${total} bytes of CSS and JS:\n${files.map(([u, b]) => `  ${b} ${u}`).join("\n")}`);
      console.log(`${kind}: ${total} bytes of CSS and JS in ${files.length} files`);
    } finally {
      await ctx.close();
    }
  });
}
