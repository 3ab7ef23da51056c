import * as wf from '@temporalio/workflow';

/** Reads a patch (wf.patched) for one workflow. */
export type Patched = (id: string) => boolean;

/**
 * The patches of an order. An order that started on a version with patch one-refund-model (read in its
 * first workflow task) took every earlier patch, so they are all on for it and none is read again.
 * Why: a patch read later, at a status change after a local activity, can be met on replay in an earlier
 * activation than when it ran, and core knows of a patch marker only within its own workflow task: the
 * replay then fails with TMPRL1100 (seen in a 1,000-order chaos run on `status-memo`). Orders that started
 * before keep reading each patch where their history recorded it. New patches are read at the start too.
 */
export function patchesOf(startedOnCurrent: boolean): Patched {
  return startedOnCurrent ? () => true : (id) => wf.patched(id);
}
