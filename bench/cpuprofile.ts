/**
 * Summarises a V8 CPU profile of the server child (`npm run bench -- --profile` writes them to
 * bench/data/profiles/<engine>/):
 *
 *   npx tsx bench/cpuprofile.ts bench/data/profiles/postgres/<file>.cpuprofile [--top 25]
 *
 * Prints the busy share, self time by module (our files, each package, Node internals, GC) and
 * by function, and the inclusive time of our own functions (src/…).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A module name: src/…, a package, node:internal, or the V8 pseudo-frames. */
function moduleOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:src|bench)\/.+)$/.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? 'node:internal' : url;
}

const keyOf = (n: ProfileNode): string => {
  const f = n.callFrame;
  return `${f.functionName || '(anonymous)'} ${moduleOf(f.url, f.functionName)}:${f.lineNumber + 1}`;
};

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([k, us]) =>
        `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: npx tsx bench/cpuprofile.ts <file.cpuprofile> [--top N]');
  const count = Number(values.top);
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;

  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const mod = moduleOf(node.callFrame.url, node.callFrame.functionName);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
    byFunction.set(keyOf(node), (byFunction.get(keyOf(node)) ?? 0) + us);
    // Each of our functions on the stack gets the sample once (recursion is not counted twice).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame && /\/src\//.test(frame.callFrame.url)) seen.add(keyOf(frame));
    }
    for (const k of seen) inclusiveOwn.set(k, (inclusiveOwn.get(k) ?? 0) + us);
  }

  console.log(
    `${file}\n${(total / 1e6).toFixed(1)} s profiled, busy ${((busy / total) * 100).toFixed(0)} % ` +
      `(${(busy / 1e6).toFixed(1)} s); shares below are of the busy time\n`,
  );
  console.log('Self time by module:');
  console.log(top(byModule, busy, count).join('\n'));
  console.log('\nSelf time by function:');
  console.log(top(byFunction, busy, count).join('\n'));
  console.log('\nInclusive time of our own functions (src/):');
  console.log(top(inclusiveOwn, busy, count).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
