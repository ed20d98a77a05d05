import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering (shared/docs/style.md): only main and preload may touch Electron; the renderer never
// reaches into core or the Node-side transports.
const noElectron = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import Electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main and electron/preload may import Electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'native/**', 'release/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] }, globals: { ...globals.browser } },
  },
  {
    files: ['electron/core/**', 'electron/contract/**', 'electron/web/**', 'electron/cli/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    // The core is the hosts' shared engine: it never reaches back into one of them.
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [...noElectron.patterns, { group: ['**/web/*', '**/cli/*', '**/main/*', '**/preload/*'], message: 'electron/core imports neither the web host, the CLI nor the Electron shell.' }] },
      ],
    },
  },
  {
    files: ['electron/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [...noElectron.patterns, { group: ['node:*', '../core/*', '../main/*', '../web/*', '../cli/*'], message: 'The contract depends on nothing but the schema library.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [
            ...noElectron.patterns,
            { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/web/**', '**/electron/cli/**', '**/electron/preload/**'], message: 'The renderer talks only to the contract API.' },
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'svelte/no-inner-declarations': 'off' },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
