#!/usr/bin/env node
// The last step of the release build, run on a finished folder (dist/):
// 1. every HTML page gets a strict Content-Security-Policy meta tag, with the
//    sha256 of each inline script the build wrote (Trunk's loader names the
//    hashed files, so this can only be done after the build);
// 2. sw.js is written from public/sw.js with this release's file list and
//    each file's sha256, so every build has its own service worker and cache.
// Generic over whatever pages and files the folder holds; safe to run twice.
//
//   node scripts/finish-dist.mjs [dir]     (default: dist)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPLATE = join(here, '../public/sw.js');
const PLACEHOLDER = /\/\* RELEASE \*\/ [^\n]*;/;

/** Files the service worker must not list: itself, dotfiles, precompressed copies. */
const notServed = (name) => name === 'sw.js' || name.split('/').some((p) => p.startsWith('.')) || /\.(gz|br)$/.test(name);

const sha256 = (data) => createHash('sha256').update(data).digest('base64');

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The CSP for a page whose inline scripts hash to `scriptHashes`. */
export function policy(scriptHashes) {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...scriptHashes.map((h) => `'sha256-${h}'`)];
  return [
    "default-src 'none'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'", // the wasm is fetched
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The contents of every inline `<script>` (one without `src`). */
export function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc\s*=/i.test(m[1]))
    .map((m) => m[2]);
}

const CSP_META = /\n?[ \t]*<meta http-equiv="Content-Security-Policy" content="[^"]*">/i;

/**
 * An inline script without its whole-line comments and blank lines: they are
 * for the source (public/boot.js), not for every page load. Only whole lines,
 * so a `//` inside a string is never touched.
 */
export function withoutComments(script) {
  return script.split('\n').filter((line) => !/^\s*(\/\/.*)?$/.test(line)).join('\n');
}

/**
 * `html` with its inline scripts stripped of comments and its CSP meta tag
 * written (or rewritten), first in <head> after the charset.
 */
export function withPolicy(html) {
  const bare = html.replace(CSP_META, '').replace(/(<script\b(?![^>]*\bsrc\s*=)[^>]*>)([\s\S]*?)(<\/script>)/gi,
    (_, open, body, close) => open + withoutComments(body) + close);
  if (/<style\b/i.test(bare) || /\sstyle\s*=/i.test(bare)) {
    throw new Error('inline styles would need their own CSP hashes: use the stylesheet');
  }
  const csp = policy(inlineScripts(bare).map(sha256));
  const meta = `\n  <meta http-equiv="Content-Security-Policy" content="${csp}">`;
  const charset = /<meta charset="utf-8">/i;
  if (!charset.test(bare)) throw new Error('a page needs <meta charset="utf-8"> first in <head>');
  // Before any script: a policy only covers what follows it.
  return bare.replace(charset, (m) => m + meta);
}

/** The release a folder holds: its files with their integrity, and an id. */
export function release(dir) {
  const files = {};
  for (const name of listFiles(dir).filter((n) => !notServed(n))) {
    files[name] = `sha256-${sha256(readFileSync(join(dir, name)))}`;
  }
  const id = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
  const pages = Object.keys(files).filter((n) => n.endsWith('.html'));
  if (pages.length === 0) throw new Error(`no HTML page in ${dir}`);
  const home = pages.includes('index.html') ? 'index.html' : pages[0];
  return { id, home, files };
}

export function finish(dir) {
  for (const name of listFiles(dir).filter((n) => n.endsWith('.html'))) {
    const path = join(dir, name);
    writeFileSync(path, withPolicy(readFileSync(path, 'utf8')));
  }
  const rel = release(dir);
  const template = readFileSync(TEMPLATE, 'utf8');
  if (!PLACEHOLDER.test(template)) throw new Error(`${TEMPLATE} has no /* RELEASE */ line`);
  writeFileSync(join(dir, 'sw.js'), template.replace(PLACEHOLDER, () => `/* RELEASE */ ${JSON.stringify(rel)};`));
  return rel;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? 'dist';
  const rel = finish(dir);
  const pages = Object.keys(rel.files).filter((n) => n.endsWith('.html'));
  console.log(`${dir}: release ${rel.id}, ${Object.keys(rel.files).length} files, CSP on ${pages.join(', ')}`);
}
