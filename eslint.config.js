// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './eslint/package-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.stack/**', 'coverage/**', 'dist/**', 'jobs/ranker-py/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object with a derived union instead of enum.' },
      ],
    },
  },
  {
    // Packages talk through their public surface; domain code reaches only pure entries (eslint/package-boundaries.js).
    files: ['**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/no-cross-package-relative': 'error', 'boundaries/pure-domain': 'error' },
  },
  {
    // process.env is read only by config modules (STYLE.md: config.ts is the only place that reads it).
    files: ['**/*.ts'],
    ignores: ['**/config.ts', 'test/**', 'vitest.config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read process.env only in config.ts.' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
