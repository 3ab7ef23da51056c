import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openApiDocument } from '../api/openapi';

// `npm run lint:openapi`: the generated OpenAPI document against Redocly's recommended rules
// (redocly.yaml); any error fails `npm test`.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-openapi-'));
const file = path.join(dir, 'openapi.json');
fs.writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
const redocly = path.resolve(__dirname, '../node_modules/.bin/redocly');
try {
  execFileSync(redocly, ['lint', file, '--config', path.resolve(__dirname, '../redocly.yaml'), '--format', 'stylish'], {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
} catch {
  process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
