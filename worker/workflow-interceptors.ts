import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from '../common/request-id-header';

// Workflow code (bundled): the start call's X-Request-Id header goes on to every activity and
// child workflow (the refund), so their log lines name the HTTP request that began the order.
// The factory runs once per workflow: `requestId` is that workflow's own.
export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: Payload | undefined;
  const withId = <T extends { headers: Record<string, Payload> }>(input: T): T =>
    requestId ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: requestId } } : input;
  return {
    inbound: [
      {
        execute: (input, next) => {
          requestId = input.headers[REQUEST_ID_HEADER];
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withId(input)),
        scheduleLocalActivity: (input, next) => next(withId(input)),
        startChildWorkflowExecution: (input, next) => next(withId(input)),
      },
    ],
  };
};
