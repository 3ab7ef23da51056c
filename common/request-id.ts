import type { Next, WorkflowClientInterceptor, WorkflowStartInput, WorkflowStartOutput } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptors } from '@temporalio/worker';
import { logContext, withLogContext } from './logger';
import { REQUEST_ID_HEADER } from './request-id-header';

// X-Request-Id across Temporal: the API's client puts the current request's id in the start call's
// headers; the workflow interceptor (worker/workflow-interceptors.ts) copies it onto each activity
// and child workflow; the activity interceptor below puts it in the log context, so the
// platform-call log lines carry it with the orderNo.

export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  async startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>): Promise<WorkflowStartOutput> {
    const requestId = logContext.getStore()?.requestId;
    if (!requestId) return next(input);
    return next({ ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } });
  }
}

class RequestIdActivityInbound implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const header = input.headers[REQUEST_ID_HEADER];
    const requestId = header ? defaultPayloadConverter.fromPayload<unknown>(header) : undefined;
    return typeof requestId === 'string' ? withLogContext({ requestId }, () => next(input)) : next(input);
  }
}

export const requestIdActivityInterceptor = (): ActivityInterceptors => ({ inbound: new RequestIdActivityInbound() });
