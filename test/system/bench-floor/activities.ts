/** The benchmark floor's activity: no I/O. */
export const floorActivities = {
  async floorStep(n: number): Promise<number> {
    return n;
  },
};
export type FloorActivities = typeof floorActivities;
