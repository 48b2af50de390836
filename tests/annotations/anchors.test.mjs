// Every annotation of annotations.jsonld anchors on each of its targets, as a Web
// Annotation client finds it: Apache Annotator's DOM matchers, over the target document
// fetched from the built site and parsed by jsdom (a page's scope is its <body>; a text
// file is shown as a browser shows one, in a <pre>). The quote selector's first match and
// the position selector must both be exactly the quoted passage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import {
  createTextQuoteSelectorMatcher,
  createTextPositionSelectorMatcher,
} from "@apache-annotator/dom";

const site = process.env.SITE_DIR;
const collection = JSON.parse(readFileSync(join(site, "annotations.jsonld"), "utf8"));
const base = collection.id.replace(/annotations\.jsonld$/, "");

const documents = new Map();
/** The jsdom document of a target's source, fetched from the built site. */
function documentOf(url) {
  if (!documents.has(url)) {
    assert.ok(url.startsWith(base), `${url} is under ${base}`);
    const rel = url.slice(base.length);
    let dom;
    if (rel.endsWith(".txt")) {
      dom = new JSDOM("<!DOCTYPE html><html><body><pre></pre></body></html>");
      dom.window.document.querySelector("pre").textContent = readFileSync(join(site, rel), "utf8");
    } else {
      dom = new JSDOM(readFileSync(join(site, rel, "index.html"), "utf8"));
    }
    // The matchers walk text nodes with the window's NodeFilter and Range.
    globalThis.NodeFilter ??= dom.window.NodeFilter;
    globalThis.Range ??= dom.window.Range;
    globalThis.Node ??= dom.window.Node;
    documents.set(url, dom.window.document);
  }
  return documents.get(url);
}

async function first(matches) {
  for await (const match of matches) return match;
  return null;
}

test("every annotation anchors on each of its targets (quote and position)", async () => {
  const items = collection.first.items;
  assert.ok(items.length > 10, `only ${items.length} annotations`);
  let anchored = 0;
  for (const item of items) {
    const targets = Array.isArray(item.target) ? item.target : [item.target];
    assert.equal(targets.length, 2, `${item.id}: the source text and the page`);
    for (const target of targets) {
      const document = documentOf(target.source);
      const quote = target.selector.find((s) => s.type === "TextQuoteSelector");
      const position = target.selector.find((s) => s.type === "TextPositionSelector");
      const byQuote = await first(createTextQuoteSelectorMatcher(quote)(document.body));
      assert.ok(byQuote, `${item.id}: the quote is not found on ${target.source}`);
      assert.equal(byQuote.toString(), quote.exact, `${item.id} on ${target.source}`);
      const byPosition = await first(createTextPositionSelectorMatcher(position)(document.body));
      assert.equal(byPosition?.toString(), quote.exact, `${item.id}: position on ${target.source}`);
      // Both selectors name the same passage, not two copies of it.
      assert.equal(
        byQuote.compareBoundaryPoints(byQuote.START_TO_START, byPosition),
        0,
        `${item.id}: the quote's first match is elsewhere on ${target.source}`,
      );
      anchored += 1;
    }
  }
  assert.equal(anchored, 2 * items.length);
});
