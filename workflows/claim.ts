// The claim workflow (activities/claim-activities.ts): its ID is the claimed key, its memo the owner.
// It is started with a long start delay and does nothing when it finally runs.
export async function claim(): Promise<void> {}
