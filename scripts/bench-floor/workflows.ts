// The bench worker's workflow bundle: the production workflows plus the floor, which only the bench
// registers (scripts/bench.ts builds this entry and runs scripts/bench-floor/worker.ts).
export * from '../../workflows';
export { floor } from './floor';
