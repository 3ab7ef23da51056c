// The worker's workflow bundle entry point.
export { settlement } from './settlement';
export { refund } from './refund';
export { pushInbox } from './push-inbox';
export { floor } from './floor';
export { claim } from './claim';
