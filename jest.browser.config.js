/** Real-browser tests (`npm run test:browser`): headless Debian chromium, kept out of `npm test`. */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['<rootDir>/test/browser/**/*.browser.ts'], testTimeout: 120000 };
