import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The layout's two rules (issue 21): no import cycles, and the workflows name no route's messages
// (routes/<route>/ reads them into facts). Both read the source, so a regression fails here, not in review.

const ROOT = resolve(__dirname, '../..');
const DIRS = ['activities', 'api', 'common', 'platform', 'protocol', 'routes', 'scripts', 'simulator', 'worker', 'workflows'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports, re-exports and literal require()s (type-only ones too: a cycle of types still ties the modules together). */
function importsOf(file: string, known: Set<string>): string[] {
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]|(?:import|require)\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(re)) {
    const base = resolve(dirname(file), (m[1] ?? m[2])!);
    const hit = [`${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('no import cycles among the modules', () => {
  const files = DIRS.flatMap((d) => tsFiles(join(ROOT, d)));
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));
  expect(graph.size).toBeGreaterThan(100);
  expect(cycles(graph)).toEqual([]);
});

const ROUTE_NAMES = /SK01|xxnr|translsh|\blsh\b|setlinfo|2208|wuqi|national|route ===|'WUQI'|'NATIONAL'/;

test("no workflow names a route's messages or branches on a route (the day close and the centre check included)", () => {
  const dir = join(ROOT, 'workflows');
  const offending = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `workflows/${f}:${i + 1}`, line }))
        .filter(({ line }) => ROUTE_NAMES.test(line)),
    );
  expect(offending).toEqual([]);
});

// One refund model (issue 21 item 2): OrderState and the refund's RefundState are the only writers of a view;
// every other workflow file changes one through their methods (order.step, order.learn, state.step, …).
const VIEW_OWNERS = new Set(['order-state.ts', 'refund-state.ts']);
const ASSIGNS = String.raw`\s*(?:[-+*/%|&?]{1,2})?=(?![=>])`;

/** The lines of a source that write a view: `x.view.f = …`, `Object.assign(x.view, …)`, or through an alias `const v = x.view; v.f = …`. */
function viewWrites(src: string): string[] {
  const aliases = [...src.matchAll(/(?:const|let)\s+(\w+)\s*=\s*[\w.]*\bview\s*;/g)].map((m) => m[1]!);
  const patterns = [new RegExp(String.raw`\.view\.[\w.]+${ASSIGNS}`), /Object\.assign\(\s*[\w.]*\bview\b/, /\.view\.\w+\.(?:push|splice|pop|shift)\(/];
  for (const a of aliases) patterns.push(new RegExp(String.raw`(?<![\w.])${a}\.[\w.]+${ASSIGNS}`), new RegExp(String.raw`Object\.assign\(\s*${a}\s*,`));
  return src.split('\n').filter((line) => patterns.some((p) => p.test(line)));
}

test('the view-write check finds direct, Object.assign and aliased writes, and not reads or comparisons', () => {
  expect(viewWrites('order.view.ecToken = t;\nstate.view.step = s;\nObject.assign(state.view, { a });\nx.view.events.push(e);')).toHaveLength(4);
  expect(viewWrites('const v = order.view;\nv.psnNo = p;\nObject.assign(v, { a });\nv.refund ??= r;')).toEqual([
    'v.psnNo = p;',
    'Object.assign(v, { a });',
    'v.refund ??= r;',
  ]);
  expect(viewWrites('if (order.view.status === s) x = order.view.reason;\nconst v = order.view;\nconst t = v.ecToken;\nf((y) => y.view.step);')).toEqual([]);
});

test('only OrderState and RefundState write a view in workflows/', () => {
  const dir = join(ROOT, 'workflows');
  const offending = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !VIEW_OWNERS.has(f))
    .flatMap((f) => viewWrites(readFileSync(join(dir, f), 'utf8')).map((line) => `workflows/${f}: ${line.trim()}`));
  expect(offending).toEqual([]);
});

// A patch read late (after a local activity) can be met on replay in an earlier activation than its marker's
// task, and the replay fails (TMPRL1100; docs/architecture.md "Patches are read at the start"). So workflows
// read patches through the order's `patched` (workflows/patches.ts), and wf.patched is called only where a
// workflow starts: settlement.ts (one-refund-model), settlement-steps.ts identify (its first task), the
// pre-patch refund child (refund.ts) and patches.ts itself.
test('wf.patched is read only at a workflow start', () => {
  const allowed = new Map([
    ['workflows/patches.ts', 1],
    ['workflows/settlement.ts', 1],
    ['workflows/settlement-steps.ts', 1],
    ['workflows/refund.ts', 1],
  ]);
  const calls = [...tsFiles(join(ROOT, 'workflows')), ...tsFiles(join(ROOT, 'routes'))].flatMap((f) => {
    const n = (readFileSync(f, 'utf8').match(/\bwf\.patched\(/g) ?? []).length;
    return n > 0 ? [[relative(ROOT, f), n] as const] : [];
  });
  expect(calls.filter(([f, n]) => allowed.get(f) !== n)).toEqual([]);
  expect(calls.length).toBe(allowed.size);
});

// One registration (issue 21): outside its own folder, a route's modules are imported by routes/index.ts alone
// (its line in ROUTES); its activity and centre parts are found by the folder's name (routes/activities.ts). The
// simulator's core and the scripts that start it compose the routes' simulator parts (routes/<route>/simulator/).
test("outside a route's folder only routes/index.ts imports it (the simulator's parts aside)", () => {
  const files = DIRS.flatMap((d) => tsFiles(join(ROOT, d)));
  const known = new Set(files);
  const routeDirs = readdirSync(join(ROOT, 'routes'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(ROOT, 'routes', e.name) + '/');
  expect(routeDirs.length).toBeGreaterThanOrEqual(2);
  const inRoute = (f: string) => routeDirs.find((d) => f.startsWith(d));
  const importers = files
    .filter((f) => !inRoute(f))
    .flatMap((f) =>
      importsOf(f, known)
        .filter((to) => inRoute(to) && !to.startsWith(join(inRoute(to)!, 'simulator/')))
        .map((to) => `${relative(ROOT, f)} -> ${relative(ROOT, to)}`),
    );
  expect(importers.filter((i) => !i.startsWith('routes/index.ts ->')).sort()).toEqual([]);
  expect(importers.filter((i) => i.startsWith('routes/index.ts ->')).length).toBeGreaterThanOrEqual(2);
});
