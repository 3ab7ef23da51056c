import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/search-attributes';

test('a worker on the real dev server completes a trivial workflow', async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `toolchain-${Date.now()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/echo-workflow'),
    activities: { shout: async (s: string) => s.toUpperCase() },
  });
  const result = await worker.runUntil(client.workflow.execute('echo', { taskQueue, workflowId: `echo-${Date.now()}`, args: ['ping'] }));
  expect(result).toBe('PING');
  // The dev server was started with the project's search attributes.
  const described = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  for (const key of ALL_SEARCH_ATTRIBUTES) expect(Object.keys(described.customAttributes)).toContain(key.name);
  await connection.close();
  await nativeConnection.close();
});
