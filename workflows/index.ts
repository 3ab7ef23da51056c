// The worker's workflow bundle entry point.
export { settlement } from './settlement';
export { refund } from './refund';
export { pushInbox } from './push-inbox';
export { claim } from './claim';
export { webhookEventLog } from './event-log';
export { centreCheck, scheduledCentreCheck } from './centre-check';
export { centreReconciliation } from './centre-reconciliation';
