/** @type {import('jest').Config} */
// The short chaos run alone (npm run test:chaos). npm test leaves it out to stay within its time
// budget; CI runs the full `npm run chaos` after npm test.
const base = require('./jest.config.js');
module.exports = { ...base, testMatch: ['<rootDir>/test/system/chaos-short.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
