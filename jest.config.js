/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Chaos is its own step (npm run chaos in CI, npm run test:chaos for the short jest run): it needs
  // three minutes of a quiet machine that npm test's budget does not have.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/chaos/'],
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.temporal', '<rootDir>/.data', '<rootDir>/.cluster'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  clearMocks: true,
};
