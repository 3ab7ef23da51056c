import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Every script that takes flags reads them with node:util parseArgs: --help, unknown flags and
// bad values refused with one clear line and exit code 2, before anything is contacted.
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function run(script: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, script), ...args],
      { cwd: opts.cwd ?? ROOT, env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', ...opts.env }, timeout: 30_000 },
      (error, out, err) => resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

test.each([
  ['scripts/reconcile.ts', ['--dat', '2026-11-26'], /Unknown option '--dat'/],
  ['scripts/reconcile.ts', ['--date', '2026-13-45'], /--date must be a date as YYYY-MM-DD, not "2026-13-45"/],
  ['scripts/reconcile.ts', ['stray'], /Unexpected argument 'stray'/],
  [
    'scripts/resolve.ts',
    ['--order', 'H31011000053202211261200000000000001', '--decision', 'MAYBE', '--operator', '李', '--note', 'x'],
    /--decision must be PAID, FAILED, REFUNDED, REFUND_FAILED, not "MAYBE"/,
  ],
  ['scripts/resolve.ts', ['--order', 'H31011000053202211261200000000000001'], /missing --decision, --operator, --note/],
  ['scripts/resolve.ts', ['--order', 'H31011000053202211261200000000000001', '--remedy', '--decision', 'PAID'], /--remedy takes no --decision/],
  ['scripts/resolve.ts', ['--order', 'H31011000053202211261200000000000001', '--remedy', '--operator', '李'], /missing --note/],
  ['scripts/resolve.ts', ['--list', '--force'], /Unknown option '--force'/],
  ['test/system/chaos.ts', ['--orders', 'abc'], /--orders must be a whole number from 1 to 10000, not "abc"/],
  ['test/system/chaos.ts', ['--orders'], /argument missing|--orders <value>/],
  ['test/system/bench.ts', ['--concurrency', '0'], /--concurrency must be a whole number from 1 to 1000, not "0"/],
  ['test/system/bench.ts', ['--memory', '--cluster'], /--memory and --cluster exclude each other/],
  ['scripts/demo.ts', ['--apii', 'x'], /Unknown option '--apii'/],
])(
  '%s %j is refused with a clear message and exit 2',
  async (script, args, message) => {
    const r = await run(script, args);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('usage: npm run');
    expect(r.code).toBe(2);
  },
  30_000,
);

test.each(['scripts/reconcile.ts', 'scripts/resolve.ts', 'test/system/chaos.ts', 'test/system/bench.ts', 'scripts/demo.ts'])(
  '%s --help prints its usage',
  async (script) => {
    const r = await run(script, ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run \w+/);
  },
  30_000,
);

test('a .env in the working directory is read with process.loadEnvFile; the environment wins', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-env-'));
  try {
    fs.writeFileSync(path.join(dir, '.env'), 'FIXMEDINS_CODE=not-a-code\n');
    const fromFile = await run('scripts/reconcile.ts', [], { cwd: dir });
    expect(fromFile.code).toBe(2);
    expect(fromFile.err).toContain('FIXMEDINS_CODE: must be the 12-character national code');
    fs.writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=loud\n');
    const envWins = await run('scripts/reconcile.ts', [], { cwd: dir, env: { LOG_LEVEL: 'silent' } });
    expect(envWins.err).not.toContain('LOG_LEVEL');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
