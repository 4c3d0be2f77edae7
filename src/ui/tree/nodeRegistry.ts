import type { TreeNode } from './nodes';

/** The root's key among parents. */
const ROOT = '';

/**
 * The tree's nodes as last shown, one object per id. VS Code finds an element by its object, so a node that
 * is shown again keeps its object and takes the new data; nodes no longer under their parent are forgotten
 * with everything below them, so the registry holds what is shown and no more.
 */
export class NodeRegistry {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly parents = new Map<string, TreeNode | undefined>();
  private readonly childIds = new Map<string, readonly string[]>();
  /** What each row looked like when VS Code last asked for it (`rowSignature`): what a change is measured against. */
  private readonly signatures = new Map<string, string>();

  /** How many nodes are held: what was last shown, whatever the number of refreshes. */
  get size(): number {
    return this.nodes.size;
  }

  get(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  ids(): string[] {
    return [...this.nodes.keys()];
  }

  all(): IterableIterator<TreeNode> {
    return this.nodes.values();
  }

  /** VS Code rendered `id` so. */
  rendered(id: string, signature: string): void {
    this.signatures.set(id, signature);
  }

  renderedSignature(id: string): string | undefined {
    return this.signatures.get(id);
  }

  parentOf(id: string): TreeNode | undefined {
    return this.parents.get(id);
  }

  /** Ids of the children last shown under `parent`; undefined when they were never asked for. */
  childIdsOf(parent: TreeNode | undefined): readonly string[] | undefined {
    return this.childIds.get(parent ? parent.id : ROOT);
  }

  /** `parent`'s children as now shown: known ids keep their objects (with the new data), the rest is forgotten. */
  setChildren(parent: TreeNode | undefined, children: readonly TreeNode[]): TreeNode[] {
    const key = parent ? parent.id : ROOT;
    const kept = children.map((child) => this.keep(child, parent));
    const shown = new Set(kept.map((child) => child.id));
    for (const id of this.childIds.get(key) ?? []) if (!shown.has(id)) this.forget(id);
    this.childIds.set(key, [...shown]);
    return kept;
  }

  /** The registered object for `fresh`'s id, given `fresh`'s data (or `fresh` itself when new). */
  keep<T extends TreeNode>(fresh: T, parent = this.parents.get(fresh.id)): T {
    const existing = this.nodes.get(fresh.id);
    const node = existing && existing.kind === fresh.kind && existing !== fresh ? Object.assign(existing, fresh) : fresh;
    this.nodes.set(node.id, node);
    this.parents.set(node.id, parent);
    return node;
  }

  private forget(id: string): void {
    for (const child of this.childIds.get(id) ?? []) this.forget(child);
    this.childIds.delete(id);
    this.signatures.delete(id);
    this.nodes.delete(id);
    this.parents.delete(id);
  }
}
