/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The system tests (test/system/: chaos, bench, cluster torture) are their own steps (npm run chaos
  // in CI, npm run test:chaos for the short jest run): they need minutes of a quiet machine that npm
  // test's budget does not have.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/system/'],
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.temporal', '<rootDir>/.data', '<rootDir>/.cluster'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  clearMocks: true,
};
