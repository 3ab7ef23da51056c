import got from 'got';
import type { ReceivedNational } from '../../routes/national/simulator/platform';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// Issue 19 (national parts), end to end: the real API, worker and simulator over HTTP. What the simulator
// received is read from its control API (GET /__sim/national/messages).

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const PUDONG = '801874950'; // simulator person pudong-resident-permit: insured in 310115, idtype 17
const OUT_OF_TOWN = '801874951'; // simulator person out-of-town: 异地, insured in 320102
const types = (v: any) => v.events.map((e: any) => e.type);

/** The national messages the simulator received (header without input), over HTTP. */
async function received(infno?: string): Promise<ReceivedNational[]> {
  return (await got.get(`${stack.sim.url}/__sim/national/messages`, { searchParams: infno ? { infno } : {}, responseType: 'json' })).body as ReceivedNational[];
}
const qrcode = async (personId: string) =>
  (await got.post(`${stack.sim.url}/__sim/qrcodes`, { json: { personId }, responseType: 'json' })).body as { ecQrCode: string };

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
});
afterAll(() => stack?.close());

describe('insuplc_admdvs from SE01 (issue 19 item 1)', () => {
  test("a QR-started national order with no insuplcAdmdvs, no pName and no pIdNo sends the person's own insuplc_admdvs on SE02 and 2208", async () => {
    const { ecQrCode } = await qrcode('pudong-resident-permit');
    const created = await api.create({ ecQrCode, ecQrChannel: '1', operator, payRequest: hisPayRequest(PUDONG) });
    expect(created.status).toBe(202);
    const orderNo = created.body.orderNo as string;
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v).toMatchObject({ insuplcAdmdvs: '310115', insuplcAdmdvsSource: '1101' });
    expect(types(v)).not.toContain('PERSON_INFO_DEFAULT');
    const se02 = (await received('SE02')).filter((m) => m.payRequestData?.mdtrt_cert_no === v.ecToken);
    expect(se02.map((m) => m.insuplc_admdvs)).toEqual(['310115']);

    expect((await api.refund(orderNo)).status).toBe(202);
    await api.until(orderNo, (x) => x.status === 'REFUNDED');
    const r2208 = (await received('2208')).at(-1)!;
    expect(r2208.insuplc_admdvs).toBe('310115');
  });

  test('a 异地 person: no 1101; without insuplcAdmdvs FAILED before SE02; with it, SE02 carries theirs', async () => {
    const before1101 = (await received('1101')).length;
    const without = await api.settle(stack.sim.platform.issueToken('out-of-town'), OUT_OF_TOWN);
    const f = await api.until(without, (x) => x.status === 'FAILED');
    expect(f.reason).toMatch(/^INSUPLC_ADMDVS_REQUIRED: a 异地 person/);
    expect(f.insuplcAdmdvs).toBeUndefined();

    const ecToken = stack.sim.platform.issueToken('out-of-town');
    const withIt = await api.settle(ecToken, OUT_OF_TOWN, '100.00', { insuplcAdmdvs: '320102' });
    const v = await api.until(withIt, (x) => x.status === 'PAID');
    expect(v).toMatchObject({ insuplcAdmdvs: '320102', insuplcAdmdvsSource: 'his' });
    const se02 = (await received('SE02')).filter((m) => m.payRequestData?.mdtrt_cert_no === ecToken);
    expect(se02.map((m) => m.insuplc_admdvs)).toEqual(['320102']);
    expect((await received('1101')).length).toBe(before1101);
  });

  test("POST /api/identities: SE01's identity reaches 1101; a 异地 person gets no insuplcAdmdvs and is told to give one", async () => {
    const own = await api.call('post', '/api/identities', {
      ecQrCode: (await qrcode('pudong-resident-permit')).ecQrCode,
      ecQrChannel: '2',
      operator,
      termIp: '10.8.0.21',
      officeId: 'NK01',
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ route: 'NATIONAL', psnNo: PUDONG, insuplcAdmdvs: '310115' });
    const away = await api.call('post', '/api/identities', { ecQrCode: (await qrcode('out-of-town')).ecQrCode, ecQrChannel: '2', operator });
    expect(away.status).toBe(200);
    expect(away.body.insuplcAdmdvs).toBeUndefined();
    expect(away.body.routeReason).toMatch(/异地人员.*give insuplcAdmdvs/);
    expect(
      (await api.call('post', '/api/identities', { ecQrCode: (await qrcode('out-of-town')).ecQrCode, ecQrChannel: '2', operator, termIp: 'not-an-ip' })).status,
    ).toBe(400);
  });
});

describe('表115 (issue 19 item 7)', () => {
  test('the API accepts #18-19 and sends them; exp_content goes out as its JSON text', async () => {
    const ecToken = stack.sim.platform.issueToken('employee');
    const payRequest = { ...hisPayRequest('801874939'), minpacunt_drug_trac_cnt: 2, mcs_trac_cnt: '1', exp_content: { hosp_dept: 'NK' } };
    const r = await api.create({ ecToken, operator, payRequest, insuplcAdmdvs: '310000' });
    expect(r.status).toBe(202);
    await api.until(r.body.orderNo, (x) => x.status === 'PAID');
    const data = (await received('SE02')).find((m) => m.payRequestData?.mdtrt_cert_no === ecToken)!.payRequestData!;
    expect(data).toMatchObject({ minpacunt_drug_trac_cnt: 2, mcs_trac_cnt: '1', exp_content: '{"hosp_dept":"NK"}' });
  });

  test('#18-19 that are not whole counts of at most 8 digits are a 400', async () => {
    for (const bad of [{ minpacunt_drug_trac_cnt: -1 }, { mcs_trac_cnt: '1.5' }, { mcs_trac_cnt: 123456789 }]) {
      const r = await api.create({ ecToken: stack.sim.platform.issueToken('employee'), operator, payRequest: { ...hisPayRequest('801874939'), ...bad } });
      expect(r.status).toBe(400);
    }
  });
});
