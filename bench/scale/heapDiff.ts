// What a soak's heap gained, by kind of object: reads two V8 heap snapshots of the same process (taken with
// HeapProfiler.takeHeapSnapshot, e.g. at the start and the end of a soak), lists the objects of the second
// that the first did not hold (V8 keeps an object's id across snapshots of one session), counted and sized
// by constructor, and for the biggest groups one retainer path each, so a leak names what holds it.
// `node out/bench/scale/heapDiff.js before.heapsnapshot after.heapsnapshot [groups]`
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const UNREACHED = 0xffffffff;

/** One snapshot, indexed enough to name its nodes and walk back from a node to what holds it. */
export class HeapSnapshot {
  readonly count: number;
  private readonly nodeFieldCount: number;
  private readonly edgeFieldCount: number;
  private readonly offsets: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  private readonly edgeOffsets: { type: number; name: number; toNode: number };
  private readonly nodeTypes: string[];
  private readonly edgeTypes: string[];
  /** For each node (by index), where its retainers start in `retainerEdges`; built on first use. */
  private retainerStart: Uint32Array | undefined;
  private retainerEdges: Uint32Array | undefined;
  private firstEdge: Uint32Array | undefined;
  private distances: Uint32Array | undefined;

  constructor(private readonly raw: RawSnapshot) {
    const { meta } = raw.snapshot;
    this.nodeFieldCount = meta.node_fields.length;
    this.edgeFieldCount = meta.edge_fields.length;
    const field = (name: string) => meta.node_fields.indexOf(name);
    this.offsets = { type: field('type'), name: field('name'), id: field('id'), selfSize: field('self_size'), edgeCount: field('edge_count') };
    this.edgeOffsets = { type: meta.edge_fields.indexOf('type'), name: meta.edge_fields.indexOf('name_or_index'), toNode: meta.edge_fields.indexOf('to_node') };
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.count = raw.nodes.length / this.nodeFieldCount;
  }

  static read(file: string): HeapSnapshot {
    return new HeapSnapshot(JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot);
  }

  id(node: number): number {
    return this.field(node, this.offsets.id);
  }

  selfSize(node: number): number {
    return this.field(node, this.offsets.selfSize);
  }

  /** `Object:Foo`, `closure:bar`, `array:(object elements)`, `string`: strings and numbers are grouped by type only. */
  group(node: number): string {
    const type = this.nodeTypes[this.field(node, this.offsets.type)];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number') return type;
    return `${type}:${this.raw.strings[this.field(node, this.offsets.name)].slice(0, 80)}`;
  }

  /** The shortest chain of retainers from `node` back to the GC roots (weak edges skipped), as `group .edge` steps. */
  retainerPath(node: number, depth = 14): string[] {
    const distances = this.distancesFromRoot();
    const path: string[] = [];
    let current = node;
    while (path.length < depth && distances[current] > 0) {
      const edge = this.closestRetainer(current, distances);
      if (edge === undefined) break;
      current = this.edgeOwner(edge);
      path.push(`${this.group(current)} .${this.edgeName(edge)}`);
    }
    return path;
  }

  private field(node: number, offset: number): number {
    return this.raw.nodes[node * this.nodeFieldCount + offset];
  }

  private edgeName(edge: number): string {
    const type = this.edgeTypes[this.raw.edges[edge + this.edgeOffsets.type]];
    const name = this.raw.edges[edge + this.edgeOffsets.name];
    return type === 'element' || type === 'hidden' ? `[${name}]` : String(this.raw.strings[name] ?? name);
  }

  private isWeak(edge: number): boolean {
    return this.edgeTypes[this.raw.edges[edge + this.edgeOffsets.type]] === 'weak';
  }

  private closestRetainer(node: number, distances: Uint32Array): number | undefined {
    const retainerStart = this.retainerStart as Uint32Array;
    const retainerEdges = this.retainerEdges as Uint32Array;
    let best: number | undefined;
    for (let index = retainerStart[node]; index < retainerStart[node + 1]; index += 1) {
      const edge = retainerEdges[index];
      if (this.isWeak(edge)) continue;
      if (best === undefined || distances[this.edgeOwner(edge)] < distances[this.edgeOwner(best)]) best = edge;
    }
    return best === undefined || distances[this.edgeOwner(best)] >= distances[node] ? undefined : best;
  }

  /** Breadth-first from the snapshot's root (node 0) along strong edges: how far each node is from a root. */
  private distancesFromRoot(): Uint32Array {
    if (this.distances) return this.distances;
    this.indexRetainers();
    const firstEdge = this.firstEdge as Uint32Array;
    const distances = new Uint32Array(this.count).fill(UNREACHED);
    const queue = new Uint32Array(this.count);
    let head = 0;
    let tail = 0;
    distances[0] = 0;
    queue[tail++] = 0;
    while (head < tail) {
      const node = queue[head++];
      const end = firstEdge[node] + this.field(node, this.offsets.edgeCount) * this.edgeFieldCount;
      for (let edge = firstEdge[node]; edge < end; edge += this.edgeFieldCount) {
        if (this.isWeak(edge)) continue;
        const to = this.raw.edges[edge + this.edgeOffsets.toNode] / this.nodeFieldCount;
        if (distances[to] !== UNREACHED) continue;
        distances[to] = distances[node] + 1;
        queue[tail++] = to;
      }
    }
    this.distances = distances;
    return distances;
  }

  /** The node an edge goes out of: the last node whose first edge is at or before it. */
  private edgeOwner(edge: number): number {
    const firstEdge = this.firstEdge as Uint32Array;
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (firstEdge[middle] <= edge) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private indexRetainers(): void {
    if (this.retainerStart) return;
    const { edges } = this.raw;
    const firstEdge = new Uint32Array(this.count);
    const retainerCount = new Uint32Array(this.count + 1);
    let edge = 0;
    for (let node = 0; node < this.count; node += 1) {
      firstEdge[node] = edge;
      const end = edge + this.field(node, this.offsets.edgeCount) * this.edgeFieldCount;
      for (; edge < end; edge += this.edgeFieldCount) retainerCount[edges[edge + this.edgeOffsets.toNode] / this.nodeFieldCount] += 1;
    }
    const retainerStart = new Uint32Array(this.count + 1);
    for (let node = 0; node < this.count; node += 1) retainerStart[node + 1] = retainerStart[node] + retainerCount[node];
    const filled = retainerStart.slice(0, this.count);
    const retainerEdges = new Uint32Array(retainerStart[this.count]);
    for (let from = 0; from < edges.length; from += this.edgeFieldCount) {
      const to = edges[from + this.edgeOffsets.toNode] / this.nodeFieldCount;
      retainerEdges[filled[to]] = from;
      filled[to] += 1;
    }
    this.firstEdge = firstEdge;
    this.retainerStart = retainerStart;
    this.retainerEdges = retainerEdges;
  }
}

export interface NewObjectGroup {
  group: string;
  count: number;
  bytes: number;
  /** One of the group's new objects, by index in the later snapshot (for `retainerPath`). */
  sample: number;
}

/** The objects of `after` that `before` did not hold, grouped, biggest total size first. */
export function newObjects(before: HeapSnapshot, after: HeapSnapshot): NewObjectGroup[] {
  const known = new Set<number>();
  for (let node = 0; node < before.count; node += 1) known.add(before.id(node));
  const groups = new Map<string, NewObjectGroup>();
  for (let node = 0; node < after.count; node += 1) {
    if (known.has(after.id(node))) continue;
    const name = after.group(node);
    const group = groups.get(name) ?? { group: name, count: 0, bytes: 0, sample: node };
    group.count += 1;
    group.bytes += after.selfSize(node);
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

function main(): void {
  const [beforeFile, afterFile, groupCount = '25'] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: heapDiff.js before.heapsnapshot after.heapsnapshot [groups]');
  const after = HeapSnapshot.read(afterFile);
  const groups = newObjects(HeapSnapshot.read(beforeFile), after);
  const total = groups.reduce((sum, group) => sum + group.bytes, 0);
  console.log(`${groups.reduce((sum, group) => sum + group.count, 0)} new objects, ${(total / 1e6).toFixed(2)} MB (self sizes)`);
  for (const group of groups.slice(0, Number(groupCount))) {
    console.log(`${String(group.count).padStart(8)} ${(group.bytes / 1e3).toFixed(0).padStart(8)} kB  ${group.group}`);
    console.log(`         held by: ${after.retainerPath(group.sample).join(' ← ')}`);
  }
}

if (require.main === module) main();
