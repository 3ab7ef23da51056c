import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';
import { freePort, startDevServer } from '../../scripts/dev-server';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { startStack } from '../helpers/stack';

const NAME = '测试职工甲';
const IDNO = '310101199001011234';
const SAMPLE_IDNO = '310000200006150001'; // inside the V13 SE03 sample's payResponse

/** Runs a QR settlement with pName/pIdNo and an inbox push on a file-backed dev server; returns the DB bytes. */
async function runAndReadDb(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-db-'));
  const server = await startDevServer({ port: await freePort(), headless: true, dbFile: path.join(dir, 'temporal.db') });
  const stack = await startStack({ TEMPORAL_ADDRESS: server.address, ...env });
  let orderNo = '';
  try {
    const api = apiClient(stack.api.url);
    const qr = stack.sim.platform.issueQrCode('employee')!.ecQrCode;
    const r = await api.create({ ecQrCode: qr, ecQrChannel: '3', operator, payRequest: hisPayRequest('801874939'), pName: NAME, pIdNo: IDNO });
    orderNo = r.body.orderNo;
    await api.until(orderNo, (v) => v.status === 'PAID');
    expect((await api.call('post', '/shyb/notify/nation', v13Sample('se03-push'))).body).toEqual({ infcode: 0 });
    return { stack, orderNo, close: async () => stack.close().then(() => server.stop()), bytes: () => readAll(dir) };
  } catch (err) {
    await stack.close();
    await server.stop();
    throw err;
  }
}

function readAll(dir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f))));
}

describe('personal data at rest in Temporal', () => {
  test('with the codec, names and ID numbers are absent from the SQLite files; the codec server shows them to staff', async () => {
    const run = await runAndReadDb({});
    try {
      const db = run.bytes();
      expect(db.includes(Buffer.from(run.orderNo))).toBe(true); // the file does hold our order
      expect(db.includes(Buffer.from(IDNO))).toBe(false);
      expect(db.includes(Buffer.from(NAME))).toBe(false);
      expect(db.includes(Buffer.from(SAMPLE_IDNO))).toBe(false);

      // The codec server decodes what the UI reads from history.
      const history = await run.stack.api.service.client.workflow.getHandle(run.orderNo).fetchHistory();
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const json = {
        metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(input.data!).toString('base64'),
      };
      expect(Buffer.from(json.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
      const api = apiClient(run.stack.api.url, { origin: 'http://127.0.0.1:8233' });
      const decoded = await api.call('post', '/codec/decode', { payloads: [json] });
      expect(decoded.status).toBe(200);
      expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).toContain(IDNO);
      const bad = await api.call('post', '/codec/decode', { payloads: 'nope' });
      expect(bad.status).toBe(400);
    } finally {
      await run.close();
    }
  }, 90_000);

  test('control: without the codec the same run leaves the ID number in the file', async () => {
    const run = await runAndReadDb({ PAYLOAD_ENCRYPTION: 'off' });
    try {
      expect(run.bytes().includes(Buffer.from(IDNO))).toBe(true);
    } finally {
      await run.close();
    }
  }, 90_000);
});

describe('logs', () => {
  test('mask ID numbers and names, in fields and in free text', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('t', 'info', sink);
    log.info({ pIdNo: IDNO, pName: NAME, nested: { setlinfo: { certno: IDNO, psn_name: NAME } } }, `SE01 decoded ${IDNO}`);
    const out = lines.join('');
    expect(out).not.toContain(IDNO);
    expect(out).not.toContain(NAME);
    expect(out).toContain('310101***********4');
  });
});
