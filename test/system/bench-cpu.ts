import * as fs from 'node:fs';

/**
 * CPU time per process group, read from /proc (Linux), so the bench can say where a settlement's
 * CPU goes: the worker, Temporal (every other process the bench started: the dev server, or the
 * cluster's services and PostgreSQL) and the bench process itself (API, simulator and driver).
 * Throughput on a small machine is CPU-bound, so milliseconds of CPU per workflow is what a
 * change must cut; it is also far steadier between runs than workflows per second.
 */
export interface CpuSample {
  worker: number;
  temporal: number;
  bench: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function readStat(pid: number): { ppid: number; ms: number } | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces and parentheses: fields are counted after its closing one
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined; // gone meanwhile
  }
}

function processTree(): Map<number, { ppid: number; ms: number }> {
  const all = new Map<number, { ppid: number; ms: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) all.set(Number(name), st);
  }
  return all;
}

function descendants(all: Map<number, { ppid: number }>, root: number): Set<number> {
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, st] of all) {
      if (!out.has(pid) && out.has(st.ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return out;
}

/** Cumulative CPU milliseconds now; undefined where /proc is missing (not Linux). */
export function sampleCpu(workerPid: number): CpuSample | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const all = processTree();
  const worker = descendants(all, workerPid);
  const mine = descendants(all, process.pid);
  const sum = (pids: Iterable<number>) => [...pids].reduce((s, p) => s + (all.get(p)?.ms ?? 0), 0);
  const u = process.cpuUsage();
  return {
    worker: sum(worker),
    temporal: sum([...mine].filter((p) => p !== process.pid && !worker.has(p))),
    bench: Math.round((u.user + u.system) / 1000),
  };
}

/** CPU milliseconds per workflow between two samples, by group, and their total. */
export function cpuPerWorkflow(before: CpuSample | undefined, after: CpuSample | undefined, workflows: number) {
  if (!before || !after || workflows <= 0) return null;
  const per = (k: keyof CpuSample) => Math.round(((after[k] - before[k]) / workflows) * 10) / 10;
  const r = { temporal: per('temporal'), worker: per('worker'), apiSimulatorDriver: per('bench') };
  return { ...r, total: Math.round((r.temporal + r.worker + r.apiSimulatorDriver) * 10) / 10 };
}
