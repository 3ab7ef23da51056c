import { SignInManager, signOutAll, type SignInTransport } from '../../platform/sign-in';
import type { Logger } from '../../common/logger';

// Issue 20 item 14: a clean stop of `npm start` got its 9002 refused. The worker's and the API's platform
// clients run in one process under one operator, the platform gives one operator one sign_no on every
// terminal, and the first 9002 signs out both (national §5.8.1.2.2 item 3): the second was refused.

/** The platform's sign-in book, as the spec describes it (and routes/national/simulator/platform.ts plays it). */
function platformBook() {
  const signIns = new Map<string, string>();
  const signOuts: string[] = [];
  let n = 0;
  const transport: SignInTransport = {
    signIn: async ({ opterNo }) => {
      if (!signIns.has(opterNo)) signIns.set(opterNo, `SN${++n}`);
      return { ok: true, signNo: signIns.get(opterNo)! };
    },
    signOut: async ({ signNo, opterNo }) => {
      signOuts.push(opterNo);
      if (signIns.get(opterNo) !== signNo) return { ok: false, reason: '签到编号与操作员不匹配或已签退' };
      signIns.delete(opterNo);
      return { ok: true };
    },
  };
  return { transport, signOuts, signedIn: () => [...signIns.keys()] };
}

function recordingLog() {
  const warnings: string[] = [];
  const log = { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => undefined } as unknown as Logger;
  return { log, warnings };
}

test('two clients of one operator in one process: one 9002, accepted, both signed out', async () => {
  const book = platformBook();
  const { log, warnings } = recordingLog();
  const id = { opterNo: 'SHYBPAY1', mac: '00:00:00:00:00:01', ip: '127.0.0.1' };
  const worker = new SignInManager(id, book.transport, log);
  const api = new SignInManager(id, book.transport, log);
  expect(await worker.currentSignNo()).toBe(await api.currentSignNo()); // one sign_no for the operator
  await signOutAll();
  expect(book.signOuts).toEqual(['SHYBPAY1']);
  expect(warnings).toEqual([]);
  expect(book.signedIn()).toEqual([]);
  expect([worker.health().state, api.health().state]).toEqual(['SIGNED_OUT', 'SIGNED_OUT']);
});

test('clients of different operators each send their own 9002', async () => {
  const book = platformBook();
  const { log, warnings } = recordingLog();
  const a = new SignInManager({ opterNo: 'OPA', mac: 'm', ip: 'i' }, book.transport, log);
  const b = new SignInManager({ opterNo: 'OPB', mac: 'm', ip: 'i' }, book.transport, log);
  await a.currentSignNo();
  await b.currentSignNo();
  await signOutAll();
  expect(book.signOuts.sort()).toEqual(['OPA', 'OPB']);
  expect(warnings).toEqual([]);
  expect(book.signedIn()).toEqual([]);
});

test("a 9002 refused because another terminal's 9002 already ended the sign-in is no failure", async () => {
  const book = platformBook();
  const infos: string[] = [];
  const { log, warnings } = recordingLog();
  (log as unknown as { info: (o: unknown, m: string) => void }).info = (_o, m) => infos.push(m);
  const id = { opterNo: 'SHYBPAY1', mac: 'm', ip: 'i' };
  const start = new SignInManager(id, book.transport, log);
  const demo = new SignInManager(id, book.transport, log);
  await start.currentSignNo();
  await demo.currentSignNo();
  await demo.signOut(); // the other terminal (another process) signs the operator out everywhere
  await start.signOut();
  expect(book.signOuts).toEqual(['SHYBPAY1', 'SHYBPAY1']);
  expect(warnings).toEqual([]);
  expect(infos.at(-1)).toBe('9002: the sign-in had already ended at the platform');
  expect(start.health().state).toBe('SIGNED_OUT');
});
