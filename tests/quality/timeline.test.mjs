// (e) The home page's drawn timeline, as a reader gets it at 1440 px: marks sit in
// proportion to their dates inside each unbroken stretch, a bar covers its whole range,
// approximate and uncertain dates look different from exact ones, every mark is reached
// with the keyboard and announced, zoom and filters live in the address, and the page with
// summaries closed is under 3,000 px tall. On a 390 px phone the axis runs down the page,
// to scale in the same way, without scrolling the page sideways. Marks with room are titled.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch, urlOf } from "./lib.mjs";

const axeSource = createRequire(import.meta.url)("axe-core").source;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function home(width = 1440, query = "") {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  const res = await page.goto(urlOf(query), { waitUntil: "load" });
  assert.equal(res.status(), 200);
  return { ctx, page };
}

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

// Every mark with its dates and drawn box, grouped into the stretches between cuts. Along
// the axis: `left`/`right` are from left to right on a wide screen, top to bottom when
// `vertical` (a phone).
function readMarks(vertical = false) {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return vertical ? { left: r.top, right: r.bottom, width: r.height } : r;
  };
  const cuts = [...document.querySelectorAll(".tl-cut")].map((c) => box(c)).map((r) => [r.left, r.right]);
  const marks = [...document.querySelectorAll(".tl-m")].map((m) => {
    const r = box(m);
    return {
      label: m.getAttribute("aria-label"),
      start: m.dataset.start,
      end: m.dataset.end,
      point: m.classList.contains("is-point"),
      left: r.left,
      right: r.right,
      centre: r.left + r.width / 2,
    };
  });
  const plot = box(document.querySelector(".tl-plot"));
  const edges = [plot.left, ...cuts.flat(), plot.right];
  const stretches = [];
  for (let i = 0; i < edges.length; i += 2) stretches.push({ from: edges[i], to: edges[i + 1], marks: [] });
  for (const m of marks) {
    const x = m.point ? m.centre : m.left;
    stretches.find((s) => x >= s.from - 1 && x <= s.to + 1)?.marks.push(m);
  }
  return { marks, stretches };
}

// The line through (day, x) of a stretch's marks: points at the middle of their day, bars
// at the start of their first day.
function fit(marks) {
  const pts = marks.map((m) => [Date.parse(m.start) / DAY + (m.point ? 0.5 : 0), m.point ? m.centre : m.left]);
  const n = pts.length;
  const mt = pts.reduce((a, p) => a + p[0], 0) / n;
  const mx = pts.reduce((a, p) => a + p[1], 0) / n;
  const slope = pts.reduce((a, p) => a + (p[0] - mt) * (p[1] - mx), 0) / pts.reduce((a, p) => a + (p[0] - mt) ** 2, 0);
  return { at: (day) => mx + slope * (day - mt), pts, slope };
}

test("every mark has ISO data-start and data-end and an aria-label", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const { marks } = await page.evaluate(readMarks);
    assert.ok(marks.length >= 10, `${marks.length} marks`);
    for (const m of marks) {
      assert.match(m.start, ISO, m.label);
      assert.ok(ISO.test(m.end) || m.end === "..", `${m.label}: data-end ${m.end}`);
      assert.ok(m.end === ".." || m.start <= m.end, m.label);
      assert.ok(m.label && m.label.length > 10, "a mark without a label");
    }
  } finally {
    await ctx.close();
  }
});

// Marks sit on the line of their stretch within 5% of its length, bars reach their last day.
function assertToScale(stretches) {
  let checked = 0;
  for (const s of stretches) {
    const dated = s.marks.filter((m) => m.end !== "..");
    if (new Set(dated.map((m) => m.start)).size < 3) continue;
    const line = fit(dated);
    assert.ok(line.slope > 0, "later is further along the axis");
    const tolerance = 0.05 * (s.to - s.from);
    for (const m of dated) {
      const t = Date.parse(m.start) / DAY + (m.point ? 0.5 : 0);
      const x = m.point ? m.centre : m.left;
      assert.ok(Math.abs(x - line.at(t)) <= tolerance, `${m.label}: at ${x.toFixed(1)} px, expected ${line.at(t).toFixed(1)} ± ${tolerance.toFixed(1)}`);
      if (!m.point) {
        const end = line.at(Date.parse(m.end) / DAY + 1);
        assert.ok(m.right >= end - 2, `${m.label}: the bar ends at ${m.right.toFixed(1)} px, before its last day at ${end.toFixed(1)}`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 10, `only ${checked} marks were checked`);
}

test("marks are proportional to their dates within each stretch, bars cover their range", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    assertToScale((await page.evaluate(readMarks)).stretches);
  } finally {
    await ctx.close();
  }
});

test("approximate and uncertain dates are drawn differently from exact ones", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const look = await page.evaluate(() => {
      const style = (sel) => {
        const el = document.querySelector(sel);
        if (!el) return null;
        const cs = getComputedStyle(el);
        return [cs.backgroundImage, cs.backgroundColor, cs.borderStyle, cs.boxShadow].join(" | ");
      };
      return {
        exact: style(".tl-m-event.is-point:not(.is-approx):not(.is-uncertain)"),
        uncertain: style(".tl-m-event.is-uncertain"),
        approximate: style(".tl-m.is-approx:not(.is-uncertain)"),
        legend: [...document.querySelectorAll(".tl-legend li")].map((li) => li.textContent),
      };
    });
    assert.ok(look.exact && look.uncertain, "the bundled briefing has exact and uncertain events");
    assert.notEqual(look.uncertain, look.exact);
    if (look.approximate) assert.notEqual(look.approximate, look.exact);
    assert.ok(look.legend.some((t) => /approximate/i.test(t)) && look.legend.some((t) => /uncertain/i.test(t)), "the legend explains both");
  } finally {
    await ctx.close();
  }
});

test("every mark is reached with Tab, shows focus, and opens its entry", { timeout: 120_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const all = await page.$$eval(".tl-m", (ms) => ms.map((m) => m.getAttribute("href")));
    const seen = new Set();
    const invisible = [];
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        return {
          mark: el.classList.contains("tl-m"),
          href: el.getAttribute("href"),
          visible: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0,
          footer: Boolean(el.closest("footer")),
        };
      });
      if (f.footer) break;
      if (f.mark) {
        seen.add(f.href);
        if (!f.visible) invisible.push(f.href);
      }
    }
    assert.deepEqual(all.filter((h) => !seen.has(h)), [], "marks never reached with Tab");
    assert.deepEqual(invisible, [], "marks focused without a visible outline");
    // Enter on a mark opens its entry in the list.
    await page.focus(".tl-m");
    const target = await page.$eval(".tl-m", (m) => m.hash.slice(1));
    await page.keyboard.press("Enter");
    await page.waitForFunction((id) => document.getElementById(id)?.querySelector("details")?.open, target, { timeout: 5_000 });
    // Arrow keys walk along a row.
    await page.focus(".tl-row .tl-m");
    await page.keyboard.press("ArrowRight");
    const moved = await page.evaluate(() => document.activeElement.classList.contains("tl-m"));
    assert.ok(moved, "ArrowRight keeps focus on a mark");
  } finally {
    await ctx.close();
  }
});

test("the home page is under 3,000 px tall at 1440 px with summaries closed", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    const open = await page.$$eval(".tl-e details[open]", (d) => d.length);
    assert.equal(open, 0);
    assert.ok(h < 3000, `${h} px tall`);
    console.log(`home: ${h} px tall at 1440 px`);
  } finally {
    await ctx.close();
  }
});

test("a briefing of usual length draws its whole list, so a whole-page screenshot or print shows every entry", { timeout: 60_000 }, async () => {
  // Only a year of many entries may wait to be laid out until it nears the viewport.
  const { ctx, page } = await home();
  try {
    const skipped = await page.$$eval(".tl-e", (es) =>
      es.filter((e) => !e.checkVisibility({ contentVisibilityAuto: true })).map((e) => e.id),
    );
    assert.deepEqual(skipped, [], "entries left undrawn below the window");
  } finally {
    await ctx.close();
  }
});

test("zoom and filters are kept in the address and survive a reload", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const fitWidth = await page.$eval(".tl-track", (t) => t.getBoundingClientRect().width);
    await page.click('.tl-zoom [data-zoom="year"]');
    const yearWidth = await page.$eval(".tl-track", (t) => t.getBoundingClientRect().width);
    assert.ok(yearWidth > fitWidth * 1.5, `zooming to a year widens the axis (${fitWidth} → ${yearWidth})`);
    const tag = await page.$eval('select[name="tag"] option:nth-child(2)', (o) => o.value);
    await page.selectOption('select[name="tag"]', tag);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("zoom"), "year");
    assert.equal(url.searchParams.get("tag"), tag);
    const counts = () =>
      page.evaluate(() => {
        const es = [...document.querySelectorAll(".tl-e")];
        return { shown: es.filter((e) => !e.hidden).length, total: es.length };
      });
    const filtered = await counts();
    assert.ok(filtered.shown > 0 && filtered.shown < filtered.total, JSON.stringify(filtered));
    await page.reload({ waitUntil: "load" });
    assert.deepEqual(await counts(), filtered);
    assert.equal(await page.$eval('.tl-zoom [data-zoom="year"]', (b) => b.getAttribute("aria-pressed")), "true");
  } finally {
    await ctx.close();
  }
});

// The phone: the axis runs down the page, to scale within each stretch, and nothing makes
// the page scroll sideways, at fit zoom or zoomed in.
const PHONE = 390;
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("at 390 px the axis runs down the page, to scale in each stretch, without sideways scrolling", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home(PHONE);
  try {
    const plot = await page.$eval(".tl-plot", (p) => p.getBoundingClientRect().toJSON());
    assert.ok(plot.height > 2 * plot.width, `the plot is ${plot.width}×${plot.height} px`);
    assert.ok(plot.right <= PHONE, `the plot reaches ${plot.right} px`);
    const { marks, stretches } = await page.evaluate(readMarks, true);
    for (const m of marks) {
      assert.match(m.start, ISO, m.label);
      assert.ok(ISO.test(m.end) || m.end === "..", `${m.label}: data-end ${m.end}`);
    }
    assertToScale(stretches);
    assert.equal(await sideways(page), 0, "the page scrolls sideways");
    // Every mark stays inside the chart's width.
    const outside = await page.$$eval(".tl-m", (ms) => ms.filter((m) => m.getBoundingClientRect().right > innerWidth).map((m) => m.getAttribute("aria-label")));
    assert.deepEqual(outside, []);
  } finally {
    await ctx.close();
  }
});

test("at 390 px zooming lengthens the axis, keeps it to scale, and axe finds nothing", { timeout: 90_000 }, async () => {
  const { ctx, page } = await home(PHONE);
  try {
    const length = () => page.$eval(".tl-track", (t) => t.getBoundingClientRect().height);
    const fit = await length();
    await page.click('.tl-zoom [data-zoom="year"]');
    const year = await length();
    assert.ok(year > fit * 1.5, `zooming to a year lengthens the axis (${fit} → ${year} px)`);
    assertToScale((await page.evaluate(readMarks, true)).stretches);
    assert.equal(await sideways(page), 0, "the page scrolls sideways when zoomed");
    await page.addScriptTag({ content: axeSource });
    const { violations } = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
  } finally {
    await ctx.close();
  }
});

test("at 390 px every mark is reached with Tab and the arrow keys follow the axis down", { timeout: 120_000 }, async () => {
  const { ctx, page } = await home(PHONE);
  try {
    const all = await page.$$eval(".tl-m", (ms) => ms.map((m) => m.getAttribute("href")));
    const seen = new Set();
    const invisible = [];
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        return {
          mark: el.classList.contains("tl-m"),
          href: el.getAttribute("href"),
          visible: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0,
          footer: Boolean(el.closest("footer")),
        };
      });
      if (f.footer) break;
      if (f.mark) {
        seen.add(f.href);
        if (!f.visible) invisible.push(f.href);
      }
    }
    assert.deepEqual(all.filter((h) => !seen.has(h)), [], "marks never reached with Tab");
    assert.deepEqual(invisible, [], "marks focused without a visible outline");
    // ArrowDown goes to the next mark of the column, later in time and lower on the page.
    const row = await page.$$eval(".tl-row", (rs) => rs.findIndex((r) => r.querySelectorAll(".tl-m").length >= 2));
    assert.ok(row >= 0, "a row holds two marks");
    await page.evaluate((i) => document.querySelectorAll(".tl-row")[i].querySelector(".tl-m").focus(), row);
    const where = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { href: el.getAttribute("href"), top: el.getBoundingClientRect().top + scrollY, start: el.dataset.start, mark: el.classList.contains("tl-m") };
      });
    const first = await where();
    await page.keyboard.press("ArrowDown");
    const next = await where();
    assert.ok(next.mark && next.top > first.top && next.start >= first.start, `ArrowDown went from ${JSON.stringify(first)} to ${JSON.stringify(next)}`);
    await page.keyboard.press("ArrowUp");
    assert.equal((await where()).href, first.href, "ArrowUp goes back");
  } finally {
    await ctx.close();
  }
});

test("at 1440 px a mark with room before the next one shows its title, clear of that mark", { timeout: 60_000 }, async () => {
  const { ctx, page } = await home();
  try {
    const rows = await page.$$eval(".tl-row", (rs) =>
      rs.map((r) => ({
        marks: [...r.querySelectorAll(".tl-m")].map((m) => m.getBoundingClientRect().left),
        titles: [...r.querySelectorAll(".tl-m-title")].map((t) => {
          const b = t.getBoundingClientRect();
          return { left: b.left, right: b.right, text: t.textContent };
        }),
      })),
    );
    const listed = new Set(await page.$$eval(".tl-e .tl-title", (ts) => ts.map((t) => t.textContent)));
    const titles = rows.flatMap((r) => r.titles);
    assert.ok(titles.length >= 5, `only ${titles.length} marks are titled`);
    for (const r of rows) {
      for (const t of r.titles) {
        assert.ok(listed.has(t.text), `"${t.text}" is no entry's title`);
        const next = Math.min(...r.marks.filter((x) => x > t.left));
        assert.ok(t.right <= next, `"${t.text}" runs into the next mark (${t.right.toFixed(1)} > ${next.toFixed(1)})`);
      }
    }
  } finally {
    await ctx.close();
  }
});
