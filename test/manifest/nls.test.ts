// The manifest's user-visible strings go through package.nls.json, and scripts/nls-manifest.mjs moves the
// literal ones there (as the merger runs it after branches add commands and settings with literal titles).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = join(REPO_ROOT, 'scripts', 'nls-manifest.mjs');
const run = promisify(execFile);

interface Outcome {
  code: number;
  output: string;
}

async function nls(dir: string, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, '--dir', dir, ...args]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

type Json = Record<string, unknown>;
const readJson = async (file: string): Promise<Json> => JSON.parse(await readFile(file, 'utf8')) as Json;

/** `%key%` → its English text, as VS Code and vsce resolve it; undefined when the key is missing. */
const resolveText = (value: unknown, messages: Json): unknown => {
  const key = /^%([^%]+)%$/.exec(String(value))?.[1];
  return key === undefined ? value : messages[key];
};

describe('manifest localization (package.nls.json)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nls-manifest-'));
    await writeFile(join(dir, 'package.json'), await readFile(join(REPO_ROOT, 'package.json')));
    await writeFile(join(dir, 'package.nls.json'), await readFile(join(REPO_ROOT, 'package.nls.json')));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('has every user-visible string of package.json localized, every key present, none unused', async () => {
    const outcome = await nls(REPO_ROOT, '--check');
    assert.equal(outcome.code, 0, outcome.output);
  });

  it('fails on a literal title or description, and on a key missing from package.nls.json', async () => {
    const manifest = await readJson(join(dir, 'package.json'));
    const contributes = manifest.contributes as { commands: Json[]; configuration: { properties: Record<string, Json> } };
    contributes.commands.push({ command: 'gitlabCiLens.newThing', title: 'Do the New Thing', category: 'GitLab' });
    contributes.configuration.properties['gitlabCiLens.newSetting'] = { type: 'boolean', default: false, description: 'A new setting.' };
    contributes.commands[0].title = '%commands.nowhere.title%';
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

    const outcome = await nls(dir, '--check');

    assert.equal(outcome.code, 1);
    assert.match(outcome.output, /not localized: commands\.gitlabCiLens\.newThing\.title = "Do the New Thing"/);
    assert.match(outcome.output, /not localized: category\.gitlab = "GitLab"/);
    assert.match(outcome.output, /not localized: configuration\.properties\.gitlabCiLens\.newSetting\.description = "A new setting\."/);
    assert.match(outcome.output, /missing in package\.nls\.json: commands\.nowhere\.title/);
    assert.match(outcome.output, /unused in package\.nls\.json: commands\.gitlabCiLens\.addAccount\.title/);
  });

  it('moves literal strings into package.nls.json under derived keys, leaving values such as defaults alone', async () => {
    const manifest = await readJson(join(dir, 'package.json'));
    const contributes = manifest.contributes as { commands: Json[]; configuration: { properties: Record<string, Json> } };
    contributes.commands.push({ command: 'gitlabCiLens.newThing', title: 'Do the New Thing', category: 'GitLab' });
    contributes.configuration.properties['gitlabCiLens.newSetting'] = {
      type: 'string', default: 'text', enum: ['text', 'json'], enumDescriptions: ['Plain text.', 'JSON.'], markdownDescription: 'How to **say** it.',
    };
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

    const fixed = await nls(dir);
    assert.equal(fixed.code, 0, fixed.output);
    assert.equal((await nls(dir, '--check')).code, 0);

    const after = await readJson(join(dir, 'package.json'));
    const messages = await readJson(join(dir, 'package.nls.json'));
    const afterContributes = after.contributes as { commands: Json[]; configuration: { properties: Record<string, Json> } };
    const command = afterContributes.commands.find((entry) => entry.command === 'gitlabCiLens.newThing');
    assert.deepEqual(command, { command: 'gitlabCiLens.newThing', title: '%commands.gitlabCiLens.newThing.title%', category: '%category.gitlab%' });
    assert.equal(resolveText(command?.title, messages), 'Do the New Thing');
    const setting = afterContributes.configuration.properties['gitlabCiLens.newSetting'];
    assert.equal(resolveText(setting.markdownDescription, messages), 'How to **say** it.');
    assert.deepEqual((setting.enumDescriptions as string[]).map((text) => resolveText(text, messages)), ['Plain text.', 'JSON.']);
    assert.equal(setting.default, 'text', 'a default is a value, not text');
    assert.deepEqual(setting.enum, ['text', 'json']);
  });
});
