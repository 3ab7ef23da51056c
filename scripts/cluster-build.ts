import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The real Temporal server and its SQL schema tool for `npm run cluster`, built from source with Go
// on first use into a git-ignored folder and reused after that.
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const ROOT = path.resolve(__dirname, '..');
export const CLUSTER_HOME = path.join(ROOT, '.cluster');
export const BIN_DIR = path.join(CLUSTER_HOME, 'bin');

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  /** The server module in the Go module cache: schema/ and config/ come from it. */
  moduleDir: string;
  schemaDir: string;
}

const GO_PACKAGES = { server: 'go.temporal.io/server/cmd/server', sqlTool: 'go.temporal.io/server/cmd/tools/sql' };

function go(args: string[], env: NodeJS.ProcessEnv = {}, inherit = false): string {
  const r = spawnSync('go', args, {
    env: { ...process.env, GOTOOLCHAIN: 'auto', ...env },
    encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : 'pipe',
  });
  if (r.error) throw new Error(`Go is needed to build the Temporal server once (https://go.dev/dl/): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed${inherit ? '' : `: ${r.stderr}`}`);
  return (r.stdout ?? '').trim();
}

/** Builds what is missing (saying so, and how long it took) and returns the paths. */
export function ensureBinaries(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): ClusterBinaries {
  fs.mkdirSync(BIN_DIR, { recursive: true });
  // go install names binaries after their package folder (server, sql); the compose images call
  // them temporal-server and temporal-sql-tool, and so do we
  const names = { server: 'temporal-server', sqlTool: 'temporal-sql-tool' } as const;
  for (const key of ['server', 'sqlTool'] as const) {
    const target = path.join(BIN_DIR, names[key]);
    const stamp = `${target}.version`;
    if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === TEMPORAL_SERVER_VERSION) continue;
    const built = path.join(BIN_DIR, key === 'server' ? 'server' : 'sql');
    if (!fs.existsSync(built)) {
      log(
        `building ${names[key]} ${TEMPORAL_SERVER_VERSION} from source with Go (first run only: about 4 minutes on an idle 2-core machine, longer on a busy one) ...`,
      );
      const t0 = Date.now();
      go(['install', `${GO_PACKAGES[key]}@${TEMPORAL_SERVER_VERSION}`], { GOBIN: BIN_DIR }, true);
      log(`built ${names[key]} in ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    fs.renameSync(built, target);
    fs.writeFileSync(stamp, TEMPORAL_SERVER_VERSION);
  }
  const modCache = go(['env', 'GOMODCACHE']);
  const moduleDir = path.join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`);
  if (!fs.existsSync(path.join(moduleDir, 'schema'))) go(['mod', 'download', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`], { GOFLAGS: '-mod=mod' });
  return { server: path.join(BIN_DIR, names.server), sqlTool: path.join(BIN_DIR, names.sqlTool), moduleDir, schemaDir: path.join(moduleDir, 'schema') };
}

export const TEMPORAL_UI_VERSION = 'v2.54.1'; // the UI of the CLI the tests run (temporal --version)
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

/**
 * The Temporal UI server from the Go module proxy (the module ships the built web assets), built on
 * first use like the server. Optional: if it cannot be built, the cluster runs without a UI.
 */
export function ensureUiServer(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): { bin: string; moduleDir: string } | undefined {
  const target = path.join(BIN_DIR, 'temporal-ui-server');
  const stamp = `${target}.version`;
  try {
    if (!(fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === TEMPORAL_UI_VERSION)) {
      const tmp = path.join(CLUSTER_HOME, 'ui-build');
      fs.mkdirSync(tmp, { recursive: true });
      log(`building temporal-ui-server ${TEMPORAL_UI_VERSION} with Go (first run only, a few minutes) ...`);
      const t0 = Date.now();
      go(['install', `${UI_MODULE}/cmd/server@${TEMPORAL_UI_VERSION}`], { GOBIN: tmp }, true);
      fs.renameSync(path.join(tmp, 'server'), target);
      fs.writeFileSync(stamp, TEMPORAL_UI_VERSION);
      log(`built temporal-ui-server in ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    return { bin: target, moduleDir: path.join(go(['env', 'GOMODCACHE']), `${UI_MODULE}@${TEMPORAL_UI_VERSION}`) };
  } catch (err) {
    log(`no Temporal UI: ${(err as Error).message}`);
    return undefined;
  }
}
