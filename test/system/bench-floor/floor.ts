import * as wf from '@temporalio/workflow';
import type { FloorActivities } from './activities';

// The benchmark's floor: as many activities as a pushed settlement (SM01, SE02, SE04 confirm) and
// one signal, but no platform work. Its latency is what Temporal itself costs on this machine.
const { floorStep } = wf.proxyActivities<FloorActivities>({ startToCloseTimeout: '10s' });
export const floorSignal = wf.defineSignal('floorSignal');

export async function floor(): Promise<void> {
  let signalled = false;
  wf.setHandler(floorSignal, () => void (signalled = true));
  await floorStep(1);
  await floorStep(2);
  await wf.condition(() => signalled);
  await floorStep(3);
}
