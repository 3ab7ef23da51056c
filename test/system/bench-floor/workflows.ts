// The bench worker's workflow bundle: the production workflows plus the floor, which only the bench
// registers (test/system/bench.ts builds this entry and runs test/system/bench-floor/worker.ts).
export * from '../../../workflows';
export { floor } from './floor';
