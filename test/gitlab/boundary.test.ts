import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../fake-gitlab/paths';

/** The core runs in plain Node (tests, benchmarks, the MCP server): the lint rule keeps `vscode` out of it. */
describe('the core/VS Code boundary', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: repoRoot() });
  const importingVscode = "import * as vscode from 'vscode';\nexport const version = vscode.version;\n";
  const restrictedImports = async (file: string, text: string) => {
    const [result] = await eslint.lintText(text, { filePath: path.join(repoRoot(), file) });
    return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
  };

  // Files that exist: the type-aware parser only lints files of the project.
  const firstSourceIn = (folder: string) => `${folder}/${readdirSync(path.join(repoRoot(), folder)).filter((name) => name.endsWith('.ts')).sort()[0]}`;

  it('rejects a vscode import under src/gitlab and src/mcp', async () => {
    for (const file of [firstSourceIn('src/gitlab'), firstSourceIn('src/gitlab/trace'), firstSourceIn('src/mcp')]) {
      const messages = await restrictedImports(file, importingVscode);
      assert.equal(messages.length, 1, file);
      assert.match(messages[0], /'vscode' import is restricted/);
    }
  });

  it('rejects the core reaching into the VS Code layer', async () => {
    const messages = await restrictedImports('src/gitlab/models.ts', "import { Logger } from '../ui/log';\nexport type L = Logger;\n");
    assert.match(messages[0] ?? '', /must not depend on the VS Code layer/);
  });

  it('allows it in the VS Code layer', async () => {
    assert.deepEqual(await restrictedImports('src/ui/log.ts', importingVscode), []);
  });
});
