// Lint: the rules that catch real bugs here, on top of `tsc --strict`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist*/**', '.temporal/**', '.data/**', '.cluster/**', 'coverage/**', 'scripts/*.js', '*.config.js', '*.config.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // forgetting to await an activity, a signal or a platform call loses it silently
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // workflow code runs in Temporal's sandbox: no Node built-ins, no I/O (the routes' workflow-safe parts too)
    files: [
      'workflows/**/*.ts',
      'routes/*.ts',
      'routes/*/index.ts',
      'routes/*/refund-policy.ts',
      'routes/*/verify.ts',
      'routes/*/view.ts',
      'routes/*/day-close-rules.ts',
    ],
    ignores: ['routes/activities.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'got', 'express', 'pino'],
              message: 'not in workflow code',
            },
            {
              // activity code (routes/activities.ts finds the routes' parts by name: never reached from here)
              group: ['@temporalio/activity', '**/activities', '**/activities/*', '**/day-close'],
              allowTypeImports: true,
              message: 'activity code is not workflow code: import its types only',
            },
          ],
        },
      ],
    },
  },
);
