// Helpers shared by the browser tests and bench/serve_latency.mjs: a throwaway copy of a
// site, a `gloss serve --port 0` child on it, editor-style saves, and Chromium.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/// The gloss binary: $GLOSS_BIN, else the release build, else the debug build.
export function glossBin() {
  if (process.env.GLOSS_BIN) return path.resolve(process.env.GLOSS_BIN);
  for (const profile of ["release", "debug"]) {
    const bin = path.join(repo, "target", profile, "gloss");
    if (existsSync(bin)) return bin;
  }
  throw new Error("no gloss binary: build it with `cargo build --release` or set GLOSS_BIN");
}

/// Copies a site's inputs (site.toml, seeds/, content/, themes/ if any) into a new
/// temporary folder and returns its path.
export async function copySite(from = repo) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gloss-browser-"));
  await cp(path.join(from, "site.toml"), path.join(dir, "site.toml"));
  for (const sub of ["seeds", "content", "themes"]) {
    if (from === repo && sub === "themes") continue; // the built-in theme, as a new site has it
    const src = path.join(from, sub);
    if (existsSync(src)) await cp(src, path.join(dir, sub), { recursive: true });
  }
  return dir;
}

export const removeSite = (dir) => rm(dir, { recursive: true, force: true });

/// Saves like an editor: write a temporary file beside the target, rename it over.
/// Returns the time of the rename, when the new content became visible.
export async function atomicSave(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, text);
  await rename(tmp, file);
  return Date.now();
}

/// Starts `gloss serve --port 0` on `site`; resolves once it printed its URL.
export function startServer(site, { port = 0, args = [], timeout = 120_000 } = {}) {
  const child = spawn(glossBin(), ["--root", site, "serve", "--port", String(port), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
    if (process.env.GLOSS_VERBOSE) process.stderr.write(d);
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`gloss serve printed no URL within ${timeout / 1000} s\n${stderr}`));
    }, timeout);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/Serving (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 3000).unref();
            }),
        });
      }
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${glossBin()}: ${e.message}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gloss serve exited with ${code}\n${stderr}`));
    });
  });
}

/// Reads the server's event stream; `next(pred, ms)` resolves with the next `build`
/// event satisfying `pred`.
export async function openEvents(url) {
  const controller = new AbortController();
  const response = await fetch(new URL("__gloss/events", url), { signal: controller.signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const queue = [];
  const waiters = [];
  let buffer = "";
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = "message";
          let data = "";
          for (const line of raw.split("\n")) {
            if (line.startsWith("event:")) name = line.slice(6).trim();
            else if (line.startsWith("data:")) data += line.slice(5).trimStart();
          }
          if (!data) continue;
          const event = { name, data: JSON.parse(data), at: Date.now() };
          queue.push(event);
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch (_) {
      /* aborted */
    }
  })();
  return {
    async next(pred, ms = 30_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = queue.findIndex((e) => e.name === "build" && pred(e.data));
        if (i >= 0) return queue.splice(0, i + 1).pop();
        queue.length = 0;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no matching build event in time");
        await new Promise((r) => {
          waiters.push(r);
          setTimeout(r, left);
        });
      }
    },
    close: () => controller.abort(),
  };
}

/// The first annotation note of an annotation file with `marker` added to its text, or
/// null when the file has no note this can edit safely.
export function withMarker(yaml, marker) {
  const lines = yaml.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^(\s*(?:-\s+)?)note:\s*(.*)$/);
    if (!m) continue;
    const value = m[2];
    if (/^[|>][-+]?\s*$/.test(value)) {
      const next = lines[i + 1] || "";
      const indent = next.match(/^\s*/)[0];
      if (indent.length <= m[1].length) continue;
      lines.splice(i + 1, 0, `${indent}${marker}`);
      return lines.join("\n");
    }
    if (value && !/^["'&*!%@`|>{[]/.test(value) && !value.includes(" #")) {
      lines[i] = `${lines[i]} ${marker}`;
      return lines.join("\n");
    }
  }
  return null;
}

/// The annotation files of a site that have an editable note, sorted.
export async function editableArticles(site) {
  const dir = path.join(site, "content", "articles");
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const out = [];
  for (const n of names) {
    const text = await readFile(path.join(dir, n), "utf8");
    if (withMarker(text, "X")) out.push(path.join(dir, n));
  }
  return out;
}

/// The page URL of an annotation file, learned the way a browser would: save a marker
/// into its note and see which article URL the server reports as changed.
export async function discoverArticleUrl(server, events, file, ms = 30_000) {
  const original = await readFile(file, "utf8");
  await atomicSave(file, withMarker(original, `probe-${Date.now()}`));
  const base = new URL(server.url).pathname;
  const isArticle = (u) => u.startsWith(`${base}articles/`) && u !== `${base}articles/`;
  const ev = await events.next((d) => d.ok && d.changed.some(isArticle), ms);
  await atomicSave(file, original);
  await events.next((d) => d.ok, ms);
  const url = ev.data.changed.find(isArticle);
  return new URL(url, server.url).href;
}

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/// Waits until the page's text contains `text`, then returns when the browser received
/// that document (its navigation's responseEnd) or live reload swapped it in (`served`),
/// and when this poll first found the text in the page (`seen`), in epoch milliseconds.
export async function waitForText(page, text, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await page
      .evaluate((t) => {
        if (!document.body || !document.body.textContent.includes(t)) return null;
        const nav = performance.getEntriesByType("navigation")[0];
        // A page swapped in place by live reload records when; a reloaded one was served.
        const swapped = Number(document.documentElement.dataset.glossSwapped || 0);
        return { served: Math.max(performance.timeOrigin + (nav ? nav.responseEnd : 0), swapped) };
      }, text)
      .catch(() => null); // the page is between documents
    if (found) return { ...found, seen: Date.now() };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the page never showed ${JSON.stringify(text)}`);
}
