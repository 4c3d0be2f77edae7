/** A place a stack trace or a JUnit attribute names: a path as the CI machine saw it, and a line when known. */
export interface SourceReference {
  path: string;
  /** 1-based. */
  line?: number;
  column?: number;
}

/** Only the top of a trace is read: the frames that matter are there, and a 1 MB trace costs no more. */
const MAX_SCANNED_CHARS = 64 * 1024;
const MAX_LINE_CHARS = 2_000;
export const MAX_FRAMES = 20;

// `File "tests/test_cart.py", line 12` (Python tracebacks).
const PYTHON_FRAME = /File "([^"\n]{1,1000})", line (\d{1,9})/;
// `at com.shop.CartTest.applies(CartTest.java:42)` (Java, Kotlin, Scala): the package gives the folders.
const JVM_FRAME = /at ((?:[\w$]+\.){1,40})[\w$<>-]+\(([\w$-]+\.(?:java|kt|scala|groovy)):(\d{1,9})\)/;
// `path/to/file.ext:12` or `:12:5`, bare or in parentheses (Node, Go, Rust, GCC, Ruby, pytest's short form).
const PATH_LINE = /(?:^|[\s(])((?:file:\/\/)?(?:[A-Za-z]:)?[^\s()'"<>:]{1,1000}\.[A-Za-z0-9]{1,10}):(\d{1,9})(?::(\d{1,9}))?/;

/**
 * The source references in a failure's text, top of the stack first, without duplicates; at most
 * `MAX_FRAMES`, from its first 64 KB, so any input costs bounded work.
 */
export function stackFrames(output: string): SourceReference[] {
  const frames: SourceReference[] = [];
  const seen = new Set<string>();
  for (const rawLine of output.slice(0, MAX_SCANNED_CHARS).split('\n')) {
    const frame = frameOf(rawLine.slice(0, MAX_LINE_CHARS));
    if (!frame) continue;
    const key = `${frame.path}:${frame.line ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    frames.push(frame);
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames;
}

function frameOf(line: string): SourceReference | undefined {
  const python = PYTHON_FRAME.exec(line);
  if (python) return { path: python[1], line: Number(python[2]) };
  const jvm = JVM_FRAME.exec(line);
  if (jvm) {
    const classParts = jvm[1].split('.').filter(Boolean);
    const folders = classParts.slice(0, -1).filter((part) => /^[a-z_][\w]*$/.test(part)); // package names are lower case
    return { path: [...folders, jvm[2]].join('/'), line: Number(jvm[3]) };
  }
  const pathLine = PATH_LINE.exec(line);
  if (pathLine) return { path: pathLine[1], line: Number(pathLine[2]), ...(pathLine[3] ? { column: Number(pathLine[3]) } : {}) };
  return undefined;
}

/** A JUnit `file` attribute: a repository path, maybe with GitLab's `#L12` anchor. */
export function fileReference(file: string): SourceReference {
  const anchor = /#L(\d{1,9})$/.exec(file);
  return anchor ? { path: file.slice(0, anchor.index), line: Number(anchor[1]) } : { path: file };
}
