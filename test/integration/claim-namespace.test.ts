import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startApi } from '../../api/server';
import { claimHolder, claimKey, claimSpace, claimWorkflowId, createClaimActivities } from '../../activities/claim-activities';
import { loadConfig } from '../../common/config';
import { dataConverter } from '../../common/data-converter';
import { createLogger } from '../../common/logger';
import { SettlementStatusKey } from '../../common/search-attributes';
import { formatDate } from '../../protocol/shanghai-time';
import { CLUSTER_CLAIM_NAMESPACE, CLUSTER_NAMESPACE } from '../../scripts/cluster';
import { DEFAULT_CLAIM_NAMESPACE, freePort, startDevServer } from '../../scripts/dev-server';
import { createWorker } from '../../worker/create-worker';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { loadCompose, readEnvFile } from '../helpers/compose';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';
const { requireTemporalCli } = require('../../scripts/temporal-cli');

// Issue 20 item 10: the Temporal UI's list of the orders' namespace shows orders. Claims live in their
// own namespace (activities/claim-activities.ts), where no worker polls and none is needed; claims made
// in the orders' namespace before the upgrade still hold their keys.

const EMPLOYEE = '801874939';
let stack: Stack;
let claims: Client;
/** The two PAID orders of the first test, for the saved queries. */
const paid: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  claims = new Client({ connection: stack.api.service.client.connection, namespace: stack.config.claimNamespace, dataConverter: dataConverter(stack.config) });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** Waits on the SettlementStatus search attribute: a read through the API would teach it the ecToken. */
async function finalStatus(orderNo: string): Promise<string> {
  const handle = stack.api.service.client.workflow.getHandle(orderNo);
  return waitFor(
    async () => {
      const s = (await handle.describe()).typedSearchAttributes.get(SettlementStatusKey);
      return s && s !== 'PROCESSING' ? s : undefined;
    },
    20_000,
    200,
  );
}

test("after QR and ecToken orders the orders' list holds no claim; their claims wait in the claims namespace without a workflow task", async () => {
  const api = apiClient(stack.api.url);
  const ecToken = stack.sim.platform.issueToken('employee');
  const byToken = await api.settle(ecToken, EMPLOYEE, '12.00');
  const qr = await api.create({
    ecQrCode: stack.sim.platform.issueQrCode('employee')!.ecQrCode,
    ecQrChannel: '3',
    operator,
    payRequest: hisPayRequest(EMPLOYEE, '13.00'),
  });
  expect(qr.status).toBe(202);
  const byQr = qr.body.orderNo as string;
  expect([await finalStatus(byToken), await finalStatus(byQr)]).toEqual(['PAID', 'PAID']);
  paid.push(byToken, byQr);

  // the Temporal UI's default list: no query. Wait until visibility shows both orders, then look at all of it.
  const listed = await waitFor(
    async () => {
      // read raw (no payload decoding): the shared dev server also holds other tests' workflows, whose memos
      // are encrypted with other keys
      const rows: Array<{ id: string; type: string }> = [];
      const { client } = stack.api.service;
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query: '', nextPageToken });
        for (const e of page.executions ?? []) rows.push({ id: e.execution?.workflowId ?? '', type: e.type?.name ?? '' });
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      return [byToken, byQr].every((o) => rows.some((r) => r.id === o)) ? rows : undefined;
    },
    20_000,
    300,
  );
  expect(listed.filter((r) => r.type === 'claim')).toEqual([]);
  expect(listed.filter((r) => r.id === byToken || r.id === byQr).map((r) => r.type)).toEqual(['settlement', 'settlement']);

  // the QR order was PAID by its push: the API found it through the claim the workflow made
  const qrView = (await api.get(byQr)).body;
  expect(qrView).toMatchObject({ status: 'PAID', reason: 'by push' });
  for (const [orderNo, token] of [
    [byToken, ecToken],
    [byQr, qrView.ecToken as string],
  ] as const) {
    const handle = claims.workflow.getHandle(claimWorkflowId(stack.config.TEMPORAL_TASK_QUEUE, `ectoken:${token}`));
    const d = await handle.describe();
    expect({ type: d.type, status: d.status.name, owner: (d.memo as { orderNo?: string }).orderNo }).toEqual({
      type: 'claim',
      status: 'RUNNING',
      owner: orderNo,
    });
    // no workflow task, ever: it times out (40 days) before its start delay ends
    expect((await handle.fetchHistory()).events!.map((e) => e.eventType)).toEqual([1]); // WORKFLOW_EXECUTION_STARTED
    expect(Number(d.raw.executionConfig!.workflowExecutionTimeout!.seconds)).toBe(40 * 86_400);
    expect(Number(d.raw.workflowExtendedInfo?.executionExpirationTime?.seconds ?? 0) * 1000).toBeGreaterThan(Date.now() + 39 * 86_400_000);
  }

  // a second order on the same ecToken is still refused, naming the first
  const again = await api.create({ ecToken, operator, payRequest: hisPayRequest(EMPLOYEE, '12.00') });
  expect(again).toMatchObject({ status: 409, body: { code: 'ECTOKEN_IN_USE', orderNo: byToken } });
}, 90_000);

test("the saved queries finance uses (docs/finance.md) run on the orders' namespace and find the orders they name", async () => {
  expect(paid).toHaveLength(2);
  const day = formatDate(Date.now()); // the Shanghai business date
  const next = formatDate(Date.now() + 86_400_000);
  const q = `TaskQueue="${stack.config.TEMPORAL_TASK_QUEUE}" AND `; // this test's orders only
  const queries: Array<[string, boolean]> = [
    ['WorkflowType="settlement"', true],
    ['WorkflowType="settlement" AND ExecutionStatus="Running"', true],
    [
      `WorkflowType="settlement" AND SettlementStatus IN ("PAID","REFUNDING","REFUNDED","REFUND_FAILED") AND SettledAt >= "${day}T00:00:00+08:00" AND SettledAt < "${next}T00:00:00+08:00"`,
      true,
    ],
    [
      `WorkflowType="settlement" AND SettlementStatus="PAID" AND Channel IN ("wechat","alipay","unionpay","ybpay") AND SettledAt >= "${day}T00:00:00+08:00"`,
      true,
    ],
    ['WorkflowType="settlement" AND Route="NATIONAL" AND CashAmount >= 0', true],
    ['WorkflowType="settlement" AND SettlementStatus="NEEDS_REVIEW"', false],
    [`WorkflowType="settlement" AND SettlementStatus="PROCESSING" AND StartTime < "${day}T00:00:00+08:00"`, false],
    ['WorkflowType="settlement" AND SettlementStatus IN ("REFUNDING","REFUND_FAILED")', false],
    ['WorkflowType="settlement" AND ExecutionStatus IN ("Failed","Terminated","TimedOut")', false],
    [`WorkflowType="settlement" AND SettledAt >= "${next}T00:00:00+08:00"`, false],
  ];
  for (const [query, findsThem] of queries) {
    const found = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.api.service.client.workflow.list({ query: q + query })) ids.push(wf.workflowId);
        return !findsThem || paid.every((o) => ids.includes(o)) ? ids : undefined;
      },
      10_000,
      300,
    ).catch(() => undefined);
    expect({ query, found: found && paid.filter((o) => found.includes(o)).length }).toEqual({ query, found: findsThem ? 2 : 0 });
  }
  // by orderNo and by ecToken, exactly one
  const token = (await apiClient(stack.api.url).get(paid[0]!)).body.ecToken as string;
  for (const query of [`OrderNo="${paid[0]}"`, `EcToken="${token}"`]) {
    const ids: string[] = [];
    for await (const wf of stack.api.service.client.workflow.list({ query })) ids.push(wf.workflowId);
    expect({ query, ids }).toEqual({ query, ids: [paid[0]] });
  }
});

test("a claim the old code made in the orders' namespace still holds its ecToken: API start, workflow claim and push lookup honour it", async () => {
  const queue = stack.config.TEMPORAL_TASK_QUEUE;
  const legacyOwner = 'H31011000053LEGACY00000001';
  const ecToken = stack.sim.platform.issueToken('employee');
  const workflowId = claimWorkflowId(queue, `ectoken:${ecToken}`);
  // exactly as the code before the claims namespace did (its claimKey)
  await stack.api.service.client.workflow.start('claim', {
    taskQueue: queue,
    workflowId,
    args: [],
    memo: { orderNo: legacyOwner, request: "the first order's request hash" },
    startDelay: '40 days',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
  });

  // the API refuses a new order on it, naming the legacy owner, and writes no claim of its own
  const api = apiClient(stack.api.url);
  const r = await api.create({ ecToken, operator, payRequest: hisPayRequest(EMPLOYEE, '14.00') });
  expect(r).toMatchObject({ status: 409, body: { code: 'ECTOKEN_IN_USE', orderNo: legacyOwner } });
  await expect(claims.workflow.getHandle(workflowId).describe()).rejects.toThrow(/not found/i);

  // the workflows' claim activity (QR orders decode their ecToken in the workflow) sees the same owner
  const activity = createClaimActivities(stack.config);
  try {
    expect(await activity.activities.claim({ key: `ectoken:${ecToken}`, orderNo: 'H31011000053NEWORDER000001' })).toEqual({ owner: legacyOwner });
  } finally {
    await activity.close();
  }

  // push routing's lookup finds the legacy owner
  const space = claimSpace(stack.api.service.client, stack.config);
  expect((await claimHolder(space, queue, `ectoken:${ecToken}`))?.orderNo).toBe(legacyOwner);

  // the check has teeth: with CLAIM_LEGACY_NAMESPACE_CHECK=off the legacy claim is not seen
  const off = claimSpace(stack.api.service.client, { ...stack.config, CLAIM_LEGACY_NAMESPACE_CHECK: 'off' });
  expect(off.legacy).toBeUndefined();
  expect(await claimHolder(off, queue, `ectoken:${ecToken}`)).toBeUndefined();
  expect((await claimKey(off, queue, `ectoken:${ecToken}`, { orderNo: 'H31011000053NEWORDER000002' })).won).toBe(true);
}, 60_000);

test("a worker and the API refuse to start without the claims namespace; create-namespace.sh makes it beside the orders' one", async () => {
  const server = await startDevServer({ port: await freePort(), headless: true, namespaces: [] });
  const connection = await Connection.connect({ address: server.address });
  try {
    const config = loadConfig({ ...baseEnv(), TEMPORAL_ADDRESS: server.address });
    expect(config.claimNamespace).toBe('default-claims');
    await expect(createWorker({ config, log: createLogger('test', 'silent') })).rejects.toThrow('the claims namespace "default-claims" does not exist');
    await expect(startApi(config, createLogger('test', 'silent'), { port: 0, host: '127.0.0.1' })).rejects.toThrow(
      'the claims namespace "default-claims" does not exist',
    );
    const cli: string = requireTemporalCli();
    const run = spawnSync('sh', [path.resolve(__dirname, '../../temporal-docker/scripts/create-namespace.sh')], {
      env: { PATH: [path.dirname(cli), process.env.PATH].join(path.delimiter), TEMPORAL_ADDRESS: server.address, NAMESPACE: 'default' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: run.status, out: run.stdout.trim().split('\n').pop() }).toEqual({ status: 0, out: 'namespaces default and default-claims ready' });
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default-claims' });
    expect(ns.namespaceInfo?.name).toBe('default-claims');
  } finally {
    await connection.close();
    await server.stop();
  }
}, 180_000);

test('one claims namespace name everywhere: config default, dev server, cluster, compose', () => {
  expect(loadConfig(baseEnv()).claimNamespace).toBe(DEFAULT_CLAIM_NAMESPACE);
  expect(loadConfig({ ...baseEnv(), TEMPORAL_NAMESPACE: CLUSTER_NAMESPACE }).claimNamespace).toBe(CLUSTER_CLAIM_NAMESPACE);
  expect(loadConfig({ ...baseEnv(), TEMPORAL_NAMESPACE: 'h1', TEMPORAL_CLAIM_NAMESPACE: 'h1-keys' }).claimNamespace).toBe('h1-keys');
  const docker = path.resolve(__dirname, '../../temporal-docker');
  const filled = {
    ...readEnvFile(path.join(docker, '.env.example')),
    POSTGRES_PASSWORD: 'p',
    PLATFORM_URL: 'http://fp/x',
    WUQI_URL: 'http://fp/w',
    FIXMEDINS_CODE: 'H31011000053',
    FIXMEDINS_NAME: 'h',
    PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  };
  const svc = loadCompose(path.join(docker, 'docker-compose.yml'), { ...filled, TEMPORAL_NAMESPACE: 'h1', TEMPORAL_CLAIM_NAMESPACE: 'h1-keys' }).doc.services;
  expect(svc['temporal-namespace']!.environment).toMatchObject({ NAMESPACE: 'h1', CLAIM_NAMESPACE: 'h1-keys' });
  for (const n of ['shyb-worker', 'shyb-worker-2', 'shyb-api'])
    expect(svc[n]!.environment).toMatchObject({ TEMPORAL_NAMESPACE: 'h1', TEMPORAL_CLAIM_NAMESPACE: 'h1-keys', CLAIM_LEGACY_NAMESPACE_CHECK: 'on' });
  // left empty (or unset), the script derives the same default as the configuration
  expect(loadCompose(path.join(docker, 'docker-compose.yml'), filled).doc.services['temporal-namespace']!.environment!.CLAIM_NAMESPACE).toBeFalsy();
});

function baseEnv(): Record<string, string> {
  return { DATA_DIR: stack.config.dataDir, LOG_LEVEL: 'silent' };
}
