import { yaml } from './yamlLib';
import type { CiSource, SourceRange } from './source';

/** Top-level keys GitLab reads as settings, never as jobs (lib/gitlab/ci/config/entry/root.rb). */
const RESERVED_KEYS = new Set([
  'default', 'include', 'before_script', 'image', 'services', 'after_script', 'variables', 'stages', 'cache',
  'workflow', 'spec', 'pages:deploy',
]);

export interface JobKey {
  name: string;
  /** The key's own text in the file. */
  range: SourceRange;
}

/**
 * The jobs the file defines at its root, in file order: every top-level key that is not a setting and not
 * hidden (`.template`). `pages` counts: it is a job.
 */
export function jobKeysOf(source: CiSource): JobKey[] {
  const root = source.configDocument?.contents;
  if (!yaml().isMap(root)) return [];
  const keys: JobKey[] = [];
  for (const item of root.items) {
    if (!yaml().isPair(item) || !yaml().isScalar(item.key) || !item.key.range) continue;
    const name = String(item.key.value);
    if (RESERVED_KEYS.has(name) || name.startsWith('.') || !yaml().isMap(item.value)) continue;
    keys.push({ name, range: source.offsetRange(item.key.range[0], item.key.range[1]) });
  }
  return keys;
}
