import type { Node, Pair } from 'yaml';
import { yaml } from './yamlLib';
import type { CiSource, SourceRange } from './source';

/** Words GitLab puts first that are not keys of the file: `jobs:build ...` names the job `build` at the root. */
const VIRTUAL_ROOTS = new Set(['root', 'jobs']);
/** Prefixes tried when looking for the key path a message starts with (bounded whatever the message). */
const MAX_PATH_CANDIDATES = 12;

/**
 * Where in the file a CI Lint message belongs. GitLab's errors carry no line numbers (except YAML syntax
 * errors from Psych); they name a key path (`jobs:build:artifacts config ...`), a job (`build job: ...`,
 * `'test' job needs 'build' job ...`) or an included file. Each is found in the parsed YAML; a message
 * that names nothing found goes on line 1.
 */
export function rangeOfLintMessage(source: CiSource, message: string): SourceRange {
  return locateLintMessage(source, message) ?? source.lineRange(0);
}

/** Like `rangeOfLintMessage`, but undefined when the message names nothing in this file (an included file's case). */
export function locateLintMessage(source: CiSource, message: string): SourceRange | undefined {
  return psychPosition(source, message)
    ?? jobMessageRange(source, message)
    ?? keyPathRange(source, message)
    ?? quotedNameRange(source, message);
}

/** Psych: `(<unknown>): did not find expected key while parsing a block mapping at line 3 column 1` (1-based). */
function psychPosition(source: CiSource, message: string): SourceRange | undefined {
  const found = /\bat line (\d+) column (\d+)/.exec(message) ?? /^\([^)]*\): .*?\bline (\d+)\b/.exec(message);
  if (!found) return undefined;
  const line = Number(found[1]) - 1;
  const whole = source.lineRange(line);
  const column = found[2] === undefined ? 0 : Math.min(Number(found[2]) - 1, whole.end.character);
  return { start: { line: whole.start.line, character: Math.max(0, column) }, end: whole.end };
}

/** Messages about one job by name, from GitLab's YAML processor and its `needs`/`stage` checks. */
function jobMessageRange(source: CiSource, message: string): SourceRange | undefined {
  const patterns: [RegExp, string | undefined][] = [
    [/^'(.+?)' job needs '(.+?)' job/, 'needs'],
    [/^(.+?) job: undefined need: (.+)$/, 'needs'],
    [/^(.+?) job: need (.+?) is not defined/, 'needs'],
    [/^(.+?) job: undefined dependency: (.+)$/, 'dependencies'],
    [/^(.+?) job: chosen stage (\S+) does not exist/, 'stage'],
    [/^jobs (.+?) config /, undefined],
    [/^(.+?) job: /, undefined],
  ];
  for (const [pattern, key] of patterns) {
    const found = pattern.exec(message);
    if (!found?.[1]) continue;
    const job = rootPair(source, found[1]);
    if (!job) continue;
    const inner = key && yaml().isMap(job.value) ? pairOf(job.value, key) : undefined;
    const value = inner && found[2] ? scalarIn(inner.value as Node, found[2].trim()) : undefined;
    return nodeRange(source, value ?? inner?.key ?? job.key);
  }
  return undefined;
}

/** `jobs:build:artifacts:paths config should be ...`, `default config contains unknown keys: foo`, ... */
function keyPathRange(source: CiSource, message: string): SourceRange | undefined {
  const spaces = [...message.matchAll(/ /g)].map((match) => match.index).slice(0, MAX_PATH_CANDIDATES);
  for (const end of spaces.reverse()) {
    const resolved = resolveKeyPath(source, message.slice(0, end));
    if (!resolved) continue;
    const unknown = /contains unknown keys: ([^,\s]+)/.exec(message.slice(end))?.[1];
    const unknownPair = unknown && yaml().isMap(resolved.value) ? pairOf(resolved.value, unknown) : undefined;
    const key = unknownPair?.key ?? resolved.key;
    if (key) return nodeRange(source, key);
  }
  return undefined;
}

/** `Local file \`ci/x.yml\` does not exist!`, `\`env\` input: ...`: the first scalar in the file with that text. */
function quotedNameRange(source: CiSource, message: string): SourceRange | undefined {
  for (const [, name] of message.matchAll(/[`'"]([^`'"]{1,500})[`'"]/g)) {
    for (const document of source.documents) {
      const found = scalarIn(document.contents, name ?? '');
      if (found) return nodeRange(source, found);
    }
  }
  return undefined;
}

/**
 * Follows `a:b:c` through the maps from the root, to the end of the path or not at all. Job names may hold
 * colons (`test:unit`), so at each level the longest run of segments that is a key wins. `root` alone is
 * the root mapping itself (no key).
 */
function resolveKeyPath(source: CiSource, path: string): { key?: unknown; value: unknown } | undefined {
  if (/\s/.test(path) && !path.includes(':')) return undefined;
  const segments = path.split(':');
  let index = VIRTUAL_ROOTS.has(segments[0] ?? '') ? 1 : 0;
  let found: { key?: unknown; value: unknown } = { value: source.configDocument?.contents };
  while (index < segments.length && yaml().isMap(found.value)) {
    const map = found.value;
    let end = segments.length;
    let pair: Pair | undefined;
    for (; end > index && !pair; end--) pair = pairOf(map, segments.slice(index, end).join(':'));
    if (!pair) return undefined;
    found = { key: pair.key, value: pair.value };
    index = end + 1;
  }
  return index >= segments.length && (found.key !== undefined || segments[0] === 'root') ? found : undefined;
}

function rootPair(source: CiSource, key: string): Pair | undefined {
  const root = source.configDocument?.contents;
  return yaml().isMap(root) ? pairOf(root, key) : undefined;
}

function pairOf(map: { items: unknown[] }, key: string): Pair | undefined {
  return map.items.find((item): item is Pair => yaml().isPair(item) && yaml().isScalar(item.key) && String(item.key.value) === key);
}

/** The first scalar equal to `text` under `node` (a value, a list entry or a `job:` mapping's key). */
function scalarIn(node: Node | null | undefined, text: string): Node | undefined {
  if (!node) return undefined;
  if (yaml().isScalar(node)) return String(node.value) === text ? node : undefined;
  let found: Node | undefined;
  yaml().visit(node, {
    Scalar(_key, scalar) {
      if (String(scalar.value) === text) {
        found = scalar;
        return yaml().visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function nodeRange(source: CiSource, node: unknown): SourceRange | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? source.offsetRange(range[0], range[1]) : undefined;
}
