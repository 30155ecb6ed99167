import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const electronBanned = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (it downloads a binary under plain Node).',
};
const nodeBuiltinsBanned = {
  group: ['node:*', ...builtinModules],
  message: 'The renderer has no Node: go through the Api interface.',
};
const rawIpcBanned = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed IPC wrappers (electron/main/ipc-handlers.ts, electron/preload/preload.ts).',
};
/** require('electron') and import('electron') slip past no-restricted-imports. */
const dynamicElectronBanned = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
    message: electronBanned.message,
  },
  { selector: "ImportExpression[source.value='electron']", message: electronBanned.message },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/lint/fixtures/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Prettier wraps code at 120; this catches comments. A message or a shell line stays whole, so it can be found.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\./)', message: 'electron/common imports nothing outside itself (zod only).' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronBanned],
          patterns: [
            { group: ['**/main/*', '**/preload/*', '**/renderer/*'], message: 'electron/node depends on common only.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...dynamicElectronBanned],
      // Issue #20: about a screen. IIFEs count too, so a long body cannot hide in one.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc-handlers.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [rawIpcBanned] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronBanned,
            { name: 'ssh2', message: 'SSH lives in electron/node.' },
            { name: 'ws', message: 'The renderer uses the browser WebSocket.' },
          ],
          patterns: [
            nodeBuiltinsBanned,
            {
              group: ['**/electron/node/*', '**/electron/main/*', '**/electron/preload/*'],
              message: 'The renderer reaches the core only through the Api interface.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...dynamicElectronBanned],
    },
  },
  {
    // CommonJS by necessity: the bin must run before anything is built or transpiled.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
