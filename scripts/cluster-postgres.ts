import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServiceSpec } from './supervise';

// A private PostgreSQL for the cluster: its own data folder under DATA_DIR, its own port and
// socket folder, password authentication. It runs in the foreground as a supervised child (not
// daemonised by pg_ctl), so it dies with the cluster. initdb and postgres refuse to run as root:
// as root they run as the `postgres` system user (the Debian package creates it).

export interface PostgresSetup {
  port: number;
  user: string;
  password: string;
  dataDir: string;
  sockDir: string;
  spec: ServiceSpec;
}

export function pgBin(name: string): string {
  if (process.env.PG_BIN) return path.join(process.env.PG_BIN, name);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (fs.existsSync(path.join(debian, v, 'bin', name))) return path.join(debian, v, 'bin', name);
  }
  return name; // on PATH
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const PG_USER = 'postgres';

function runAsPg(bin: string, args: string[], what: string): void {
  const [cmd, argv] = asRoot ? ['setpriv', ['--reuid', PG_USER, '--regid', PG_USER, '--init-groups', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`${what}: ${r.error.message} (install PostgreSQL, e.g. apt-get install postgresql-15, or set PG_BIN)`);
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
}

function giveToPg(p: string) {
  if (asRoot && spawnSync('chown', ['-R', `${PG_USER}:${PG_USER}`, p]).status !== 0) throw new Error(`chown ${PG_USER} ${p} failed`);
}

/** initdb on first use (password from a 0600 file kept beside the data), then the server's spec. */
export function preparePostgres(baseDir: string, port: number): PostgresSetup {
  const dataDir = path.join(baseDir, 'pgdata');
  const sockDir = path.join(baseDir, 'pgsock');
  const pwFile = path.join(baseDir, 'pg-password');
  const user = 'temporal';
  fs.mkdirSync(sockDir, { recursive: true });
  if (!fs.existsSync(pwFile)) fs.writeFileSync(pwFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(pwFile, 'utf8').trim();
  if (asRoot) {
    // the postgres user must be able to walk down to its folders
    for (let d = baseDir; d !== path.dirname(d); d = path.dirname(d)) {
      const mode = fs.statSync(d).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
    }
    giveToPg(sockDir);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    giveToPg(dataDir);
    const tmpPw = path.join(sockDir, 'initdb-pw');
    fs.writeFileSync(tmpPw, password, { mode: 0o600 });
    giveToPg(tmpPw);
    try {
      runAsPg(
        pgBin('initdb'),
        ['-D', dataDir, '-U', user, '--pwfile', tmpPw, '--auth-host=scram-sha-256', '--auth-local=scram-sha-256', '-E', 'UTF8', '--locale=C'],
        'initdb',
      );
    } finally {
      fs.rmSync(tmpPw, { force: true });
    }
  }
  // a postmaster.pid left by a SIGKILLed run: postgres itself checks whether that pid still runs
  return {
    port,
    user,
    password,
    dataDir,
    sockDir,
    spec: {
      name: 'postgres',
      cmd: pgBin('postgres'),
      args: ['-D', dataDir, '-p', String(port), '-k', sockDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
      stopSignal: 'SIGINT', // fast shutdown: roll back open transactions, do not wait for clients
      ...(asRoot ? { user: PG_USER } : {}),
    },
  };
}
