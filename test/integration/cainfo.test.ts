import got from 'got';
import { publicKeyOf } from '../../protocol/cainfo';
import { CAINFO_REFUSAL, type ReceivedNational } from '../../routes/national/simulator/platform';
import { apiClient, operator } from '../helpers/api-client';
import { nationalEnvelope, simApi } from '../helpers/sim-client';
import { startStack, type Stack } from '../helpers/stack';

// National §4.4 cainfo, end to end (issue 19 item 9): with CAINFO_SIGNING=on every national message the
// worker and the API send carries a cainfo that the simulator verifies with our public key; one that does
// not verify is refused with infcode -1. With CAINFO_CHECK_OUTPUT=on the answers are verified too.

const OUR_KEY = '6f1c5e0a3b2d4c8e9f7a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e';
const PLATFORM_KEY = '0b9d7f5e3c1a2b4d6f8e0a2c4e6f8a0b2d4f6e8a0c2e4f6a8b0d2f4e6a8c0e2f';
const USER_ID = 'H31011000053';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const received = async (): Promise<ReceivedNational[]> =>
  (await got.get(`${stack.sim.url}/__sim/national/messages`, { responseType: 'json' })).body as ReceivedNational[];

beforeAll(async () => {
  stack = await startStack({
    CAINFO_SIGNING: 'on',
    CAINFO_PRIVATE_KEY: OUR_KEY,
    CAINFO_USER_ID: USER_ID,
    CAINFO_ENCODING: 'base64',
    CAINFO_CHECK_OUTPUT: 'on',
    CAINFO_PLATFORM_PUBLIC_KEY: publicKeyOf(PLATFORM_KEY),
  });
  // the platform holds our public key and signs its answers with its own
  const settings = { cainfo: { publicKey: publicKeyOf(OUR_KEY), userId: USER_ID, encoding: 'base64', privateKey: PLATFORM_KEY } };
  await got.put(`${stack.sim.url}/__sim/settings`, { json: settings, responseType: 'json' });
  api = apiClient(stack.api.url);
});
afterAll(() => stack?.close());

test('with signing on, every national message carries a cainfo that the simulator verifies', async () => {
  const { ecQrCode } = (await got.post(`${stack.sim.url}/__sim/qrcodes`, { json: { personId: 'pudong-resident-permit' }, responseType: 'json' })).body as {
    ecQrCode: string;
  };
  const r = await api.create({
    ecQrCode,
    ecQrChannel: '1',
    operator,
    payRequest: {
      psn_no: '801874950',
      mdtrt_id: `M${Date.now()}`,
      chrg_bchno: 'SF01',
      med_type: '11',
      medfee_sumamt: '100.00',
      insutype: '310',
      acct_used_flag: '0',
      psn_setlway: '01',
    },
  });
  expect(r.status).toBe(202);
  const orderNo = r.body.orderNo as string;
  await api.until(orderNo, (x) => x.status === 'PAID');
  expect((await api.refund(orderNo)).status).toBe(202);
  await api.until(orderNo, (x) => x.status === 'REFUNDED');

  const messages = await received();
  expect([...new Set(messages.map((m) => m.infno))]).toEqual(expect.arrayContaining(['9001', '1101', 'SE02', 'SE04', '2208']));
  for (const m of messages)
    expect({ infno: m.infno, signtype: m.signtype, verified: m.cainfoVerified }).toEqual({ infno: m.infno, signtype: 'SM2', verified: true });
});

test('a national message whose cainfo does not verify is refused with infcode -1 (and one without cainfo too)', async () => {
  const sim = simApi(stack.sim.url);
  const before = (await received()).length;
  const unsigned = await sim.prod(nationalEnvelope('SE04', { ecToken: 'tok' }));
  expect(unsigned).toMatchObject({ infcode: -1, err_msg: CAINFO_REFUSAL });
  const forged = await sim.prod({ ...nationalEnvelope('SE04', { ecToken: 'tok' }), signtype: 'SM2', cainfo: Buffer.alloc(64, 7).toString('base64') });
  expect(forged).toMatchObject({ infcode: -1, err_msg: CAINFO_REFUSAL });
  expect((await received()).slice(before).map((m) => m.cainfoVerified)).toEqual([false, false]);
});

test('CAINFO_CHECK_OUTPUT=on: an answer that the platform did not sign is an unknown outcome, never a refusal or a result', async () => {
  await got.put(`${stack.sim.url}/__sim/settings`, {
    json: { cainfo: { publicKey: publicKeyOf(OUR_KEY), userId: USER_ID, encoding: 'base64' } },
    responseType: 'json',
  });
  try {
    const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '100.00', { insuplcAdmdvs: '310000' });
    const v = await api.until(orderNo, (x) => x.events.some((e: any) => e.type === 'SE02_UNKNOWN'));
    expect(v.events.find((e: any) => e.type === 'SE02_UNKNOWN').detail).toMatch(/cainfo does not verify/);
    expect(v.status).toBe('PROCESSING');
  } finally {
    await got.put(`${stack.sim.url}/__sim/settings`, {
      json: { cainfo: { publicKey: publicKeyOf(OUR_KEY), userId: USER_ID, encoding: 'base64', privateKey: PLATFORM_KEY } },
      responseType: 'json',
    });
  }
});
