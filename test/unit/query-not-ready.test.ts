import { ServiceError } from '@temporalio/client';
import { isQueryNotReady, isTemporalUnavailable, WorkflowNotReady } from '../../api/health';

// What the server answers a query it could not get answered (seen in the chaos run as a 500):
// "Failed to query Workflow" caused by "1 CANCELLED: context canceled". It is transient: 503.
const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

test('a cancelled or refused query is "not ready" (503), other query errors are not', () => {
  expect(isQueryNotReady(new ServiceError('Failed to query Workflow', { cause: grpc(1, 'context canceled') }))).toBe(true);
  expect(isQueryNotReady(new ServiceError('Failed to query Workflow', { cause: grpc(9, 'Workflow Task in failed state') }))).toBe(true);
  expect(isQueryNotReady(new ServiceError('Failed to query Workflow', { cause: grpc(8, 'consistent query buffer is full') }))).toBe(true);
  expect(isQueryNotReady(new ServiceError('Failed to query Workflow', { cause: grpc(13, 'internal') }))).toBe(false);
  expect(isQueryNotReady(new TypeError('x'))).toBe(false);
  const e = new WorkflowNotReady('H1', grpc(1, 'context canceled'));
  expect(e.message).toMatch(/retry shortly/);
  expect(isTemporalUnavailable(grpc(4, 'deadline'))).toBe(true);
});
