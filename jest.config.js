/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The short chaos run is its own script (npm run test:chaos) until the replay nondeterminism it exposes
  // is fixed: see README "Proving it".
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/chaos/'],
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.temporal', '<rootDir>/.data', '<rootDir>/.cluster'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  clearMocks: true,
};
