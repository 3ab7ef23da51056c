/** @type {import('jest').Config} */
// The short chaos run alone (npm run test:chaos): kept out of npm test while the deadline
// nondeterminism it exposes is open (README "Proving it").
const base = require('./jest.config.js');
module.exports = { ...base, testMatch: ['<rootDir>/test/chaos/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
