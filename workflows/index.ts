// The worker's workflow bundle entry point.
export { settlement } from './settlement';
export { refund } from './refund';
export { pushInbox } from './push-inbox';
export { orderKey } from './order-key';
export { floor } from './floor';
