// Screenshots of the real workbench, taken by run.mjs's browser at the suite's request.
import { CONTROL_URL_VARIABLE } from './runnerContract';

export interface ScreenshotOptions {
  /** Playwright selector (CSS, or `text=…`) to wait for, visible, up to 15 s before the shot: e.g. a tree row. */
  readonly waitFor?: string;
  /** Selector of the one element to capture, e.g. '#workbench\\.parts\\.statusbar'; default the whole page. */
  readonly element?: string;
}

/**
 * Saves .vscode-test/screenshots/<name>.png (name: letters, digits, `_.-`) and resolves with its path once it
 * is written. Resolves undefined without taking one when the runner cannot (under @vscode/test-electron).
 */
export async function takeScreenshot(name: string, options: ScreenshotOptions = {}): Promise<string | undefined> {
  const controlUrl = process.env[CONTROL_URL_VARIABLE];
  if (!controlUrl) {
    console.log(`screenshot ${name} skipped: this runner takes none`);
    return undefined;
  }
  const url = new URL('/screenshot', controlUrl);
  url.searchParams.set('name', name);
  if (options.waitFor) url.searchParams.set('waitFor', options.waitFor);
  if (options.element) url.searchParams.set('element', options.element);
  const response = await fetch(url, { method: 'POST' });
  const body = (await response.json()) as { path?: string; error?: string };
  if (!response.ok || !body.path) throw new Error(`screenshot ${name} failed: ${body.error ?? response.statusText}`);
  return body.path;
}
