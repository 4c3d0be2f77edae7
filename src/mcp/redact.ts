// Secrets out of job logs, before any cut. A job log can print the token (a script that echoes it, a curl
// -v): scrubbing only the finished answer misses a token that a window edge or a line cut split in two,
// because neither piece is the whole token. So the raw bytes are masked first, as they stream, holding back
// (longest secret - 1) bytes so that a token split between chunks is seen whole; what a window still cuts
// at its edges (a log that ends mid-token, escape codes inside a token) is caught as a fragment there.

/** Shorter pieces of a secret are too common to mean anything (and "glpat-" is public anyway). */
export const MIN_FRAGMENT = 4;
/** Very short values would mask ordinary words; no real token is that short. */
const MIN_SECRET = 8;
/** A mask as long as what it hides (offsets into the log stay true): `[REDACTED***]`, or stars when shorter. */
function maskOf(length: number): string {
  return length >= 10 ? `[REDACTED${'*'.repeat(length - 10)}]` : '*'.repeat(length);
}

/** Long masks, as they read once the text is cut out: `[REDACTED]`. */
const LONG_MASK = /\[REDACTED\*+\]/g;

export class SecretMasker {
  /** Each secret as bytes, raw and URL-encoded. */
  private readonly forms: Buffer[];
  /** Bytes held back between chunks: a secret may begin in them. */
  readonly overlap: number;
  private pending: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    const usable = secrets.filter((secret) => secret.length >= MIN_SECRET);
    this.forms = [...new Set(usable.flatMap((secret) => [secret, encodeURIComponent(secret)]))].map((form) => Buffer.from(form, 'utf8'));
    this.overlap = Math.max(0, ...this.forms.map((form) => form.byteLength - 1));
  }

  /** A masked copy of `bytes`: every whole secret, and the fragments at its edges (`start`/`end`: where the stream was cut). */
  maskWindow(bytes: Buffer, edges: { start: boolean; end: boolean }): Buffer {
    return this.maskInPlace(Buffer.from(bytes), edges);
  }

  /** Stream use: the bytes of `chunk` (and before) that no secret can still reach, masked. */
  push(chunk: Buffer): Buffer {
    if (this.forms.length === 0) return chunk;
    const joined = this.maskInPlace(Buffer.concat([this.pending, chunk]), { start: false, end: false });
    const safe = Math.max(0, joined.byteLength - this.overlap);
    this.pending = joined.subarray(safe);
    return joined.subarray(0, safe);
  }

  /** What was held back; a secret it begins is cut by the end of the log, so its beginning is masked. */
  end(): Buffer {
    const rest = this.maskInPlace(this.pending, { start: false, end: true });
    this.pending = Buffer.alloc(0);
    return rest;
  }

  private maskInPlace(masked: Buffer, edges: { start: boolean; end: boolean }): Buffer {
    for (const form of this.forms) {
      for (let at = masked.indexOf(form); at >= 0; at = masked.indexOf(form, at + form.byteLength)) masked.write(maskOf(form.byteLength), at, 'latin1');
      // Only a secret's length at each edge matters; latin1: one character per byte, so lengths are byte counts.
      const leading = edges.start ? leadingFragment(masked.subarray(0, form.byteLength).toString('latin1'), form.toString('latin1')) : 0;
      masked.write(maskOf(leading), 0, 'latin1');
      const trailing = edges.end ? trailingFragment(masked.subarray(-form.byteLength).toString('latin1'), form.toString('latin1')) : 0;
      masked.write(maskOf(trailing), masked.byteLength - trailing, 'latin1');
    }
    return masked;
  }

  /**
   * Rendered text cut out of a masked log, line by line: a secret the renderer joined up (escape codes
   * between its characters) is masked whole, or at a line's edges where a cut split it; masks read `[REDACTED]`.
   */
  finishText(text: string): string {
    const secrets = this.forms.map((bytes) => bytes.toString('utf8'));
    const finishLine = (line: string): string =>
      secrets.reduce((result, secret) => {
        let masked = result.split(secret).join('[REDACTED]');
        const leading = leadingFragment(masked, secret);
        if (leading > 0) masked = `[REDACTED]${masked.slice(leading)}`;
        const trailing = trailingFragment(masked, secret);
        if (trailing > 0) masked = `${masked.slice(0, masked.length - trailing)}[REDACTED]`;
        return masked;
      }, line);
    return text.split('\n').map(finishLine).join('\n').replace(LONG_MASK, '[REDACTED]');
  }
}

/** How many characters at the start of `text` are the end of `secret` (at least MIN_FRAGMENT): what a cut before them left. */
function leadingFragment(text: string, secret: string): number {
  for (let length = Math.min(secret.length - 1, text.length); length >= MIN_FRAGMENT; length--) {
    if (text.startsWith(secret.slice(secret.length - length))) return length;
  }
  return 0;
}

/** How many characters at the end of `text` are the beginning of `secret` (at least MIN_FRAGMENT): what a cut after them left. */
function trailingFragment(text: string, secret: string): number {
  for (let length = Math.min(secret.length - 1, text.length); length >= MIN_FRAGMENT; length--) {
    if (text.endsWith(secret.slice(0, length))) return length;
  }
  return 0;
}
