// Type-aware lint. The core (src/gitlab, src/mcp) must run in plain Node: it may never import `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'The core runs in plain Node (tests, bench, MCP server): pass VS Code things in from src/ui instead.' }],
    patterns: [{ group: ['**/ui/**', '**/extension'], message: 'The core must not depend on the VS Code layer.' }],
  }],
};

export default tseslint.config(
  // demo/workspace: the demo project's own sources, with failures on purpose.
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'bench/.data/', 'demo/workspace/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['src/gitlab/**/*.ts', 'src/mcp/**/*.ts'], rules: noVscode },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } } },
);
