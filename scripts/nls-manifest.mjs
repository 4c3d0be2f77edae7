#!/usr/bin/env node
// Localizes the manifest: every user-visible string of package.json (command titles and categories, view
// and container names, welcome contents, setting descriptions, labels, the display name and description)
// becomes `%key%`, its English text kept in package.nls.json under a key derived from where it sits.
//
//   node scripts/nls-manifest.mjs           moves literal strings into package.nls.json, drops unused keys
//   node scripts/nls-manifest.mjs --check   changes nothing; exits 1 listing literals, missing and unused keys
//   --dir <folder>                          works on another folder's package.json (tests)
//
// Run it after adding commands or settings with literal titles (or after merging branches that did).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Properties whose strings users read, wherever they sit under `contributes`. */
const VISIBLE = new Set([
  'title', 'shortTitle', 'category', 'name', 'contextualTitle', 'contents', 'label', 'description', 'markdownDescription',
  'enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels', 'deprecationMessage', 'markdownDeprecationMessage',
  'patternErrorMessage', 'displayName', 'altText',
]);
/** Values, not text: never descended into (a setting's default may well be an object with a `description`). */
const VALUES = new Set(['default', 'examples', 'enum', 'const', 'when', 'icon']);
/** What names an element of a contribution list, for its key. */
const IDENTITIES = ['id', 'command', 'submenu'];
const PLACEHOLDER = /^%([^%\s]+)%$/;

/** Every user-visible string of the manifest: where it is (to replace it), its derived key, its text. */
export function visibleStrings(manifest) {
  const found = [];
  for (const property of ['displayName', 'description']) {
    if (typeof manifest[property] === 'string') found.push({ holder: manifest, property, key: property, value: manifest[property] });
  }
  walk(manifest.contributes, ['contributes'], found);
  return found;
}

function walk(node, keyPath, found) {
  if (Array.isArray(node)) {
    node.forEach((element, index) => walk(element, [...keyPath, identityOf(element, index)], found));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [property, value] of Object.entries(node)) {
    if (VALUES.has(property)) continue;
    if (VISIBLE.has(property) && typeof value === 'string') {
      found.push({ holder: node, property, key: keyFor(keyPath, property, value), value });
    } else if (VISIBLE.has(property) && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      value.forEach((item, index) => found.push({ holder: value, property: index, key: [...keyPath.slice(1), property, String(index)].join('.'), value: item }));
    } else {
      walk(value, [...keyPath, property], found);
    }
  }
}

function identityOf(element, index) {
  if (element && typeof element === 'object') {
    for (const field of IDENTITIES) if (typeof element[field] === 'string') return element[field];
    // Welcome contents: one view has several, told apart by their `when`, stable across edits of the text.
    if (typeof element.view === 'string') return `${element.view}.${createHash('sha1').update(String(element.when ?? '')).digest('hex').slice(0, 8)}`;
  }
  return String(index);
}

function keyFor(keyPath, property, value) {
  // One category ("GitLab") shared by every command: one key.
  if (property === 'category' && keyPath[1] === 'commands') return `category.${slug(value)}`;
  return [...keyPath.slice(1), property].join('.');
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'text';
}

/** Literals, placeholders without a key, and keys nothing uses. */
export function findProblems(manifest, messages) {
  const problems = [];
  const used = new Set();
  for (const { key, value } of visibleStrings(manifest)) {
    const placeholder = PLACEHOLDER.exec(value);
    if (!placeholder) problems.push(`not localized: ${key} = ${JSON.stringify(value)}`);
    else if (typeof messages[placeholder[1]] !== 'string') problems.push(`missing in package.nls.json: ${placeholder[1]}`);
    else used.add(placeholder[1]);
  }
  for (const key of Object.keys(messages)) if (!used.has(key)) problems.push(`unused in package.nls.json: ${key}`);
  return problems;
}

/** Moves every literal into `messages` under its derived key (suffixed when taken by other text). */
export function localize(manifest, messages) {
  const used = new Set();
  for (const entry of visibleStrings(manifest)) {
    const placeholder = PLACEHOLDER.exec(entry.value);
    if (placeholder) {
      used.add(placeholder[1]);
      continue;
    }
    let key = entry.key;
    for (let suffix = 2; typeof messages[key] === 'string' && messages[key] !== entry.value; suffix++) key = `${entry.key}.${suffix}`;
    messages[key] = entry.value;
    entry.holder[entry.property] = `%${key}%`;
    used.add(key);
  }
  for (const key of Object.keys(messages)) if (!used.has(key)) delete messages[key];
  return Object.fromEntries(Object.entries(messages).sort(([a], [b]) => a.localeCompare(b)));
}

function main(argv) {
  const check = argv.includes('--check');
  const dirIndex = argv.indexOf('--dir');
  const dir = dirIndex >= 0 ? path.resolve(argv[dirIndex + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const manifestPath = path.join(dir, 'package.json');
  const messagesPath = path.join(dir, 'package.nls.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const messages = existsSync(messagesPath) ? JSON.parse(readFileSync(messagesPath, 'utf8')) : {};
  if (check) {
    const problems = findProblems(manifest, messages);
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) {
      console.error(`${problems.length} manifest string problem(s): run \`node scripts/nls-manifest.mjs\` to fix them.`);
      process.exitCode = 1;
    }
    return;
  }
  const localized = localize(manifest, messages);
  const missing = findProblems(manifest, localized);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(messagesPath, `${JSON.stringify(localized, null, 2)}\n`);
  for (const problem of missing) console.error(problem);
  if (missing.length > 0) process.exitCode = 1;
  else console.log(`package.json: every user-visible string localized (${Object.keys(localized).length} in package.nls.json)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
