// Folders of a flat entry list, built once so that a tree view can ask for one folder's children at a time.

import type { UnsafeArchiveReason } from './errors';
import type { ArchiveEntry } from './zipEntries';

export interface ArchiveTreeNode {
  /** Last path segment. */
  readonly name: string;
  /** "/"-separated path from the archive root; pass it to `children` for a folder's contents. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  /** A file's size; for a folder, the total of the files below it. */
  readonly size: number;
  /** The entry itself; absent for folders the archive only implies ("a" for "a/b.txt"). */
  readonly entry?: ArchiveEntry;
  readonly unsafe?: UnsafeArchiveReason;
  /** Folders: some entry below is unsafe, so a view can mark the way to it. */
  readonly containsUnsafe: boolean;
}

interface Folder {
  node: { -readonly [K in keyof ArchiveTreeNode]: ArchiveTreeNode[K] };
  readonly folders: Map<string, Folder>;
  /** A list, not a map: duplicate names stay visible. */
  readonly files: ArchiveTreeNode[];
}

export class ArchiveTree {
  private readonly root = newFolder('', '');

  constructor(entries: readonly ArchiveEntry[]) {
    for (const entry of entries) this.add(entry);
  }

  /** Folders first, then files, each by name; empty for a path that is no folder. */
  children(folderPath = ''): ArchiveTreeNode[] {
    const folder = this.findFolder(folderPath);
    if (folder === undefined) return [];
    const byName = (a: ArchiveTreeNode, b: ArchiveTreeNode): number => a.name.localeCompare(b.name);
    return [...[...folder.folders.values()].map((child) => ({ ...child.node })).sort(byName), ...[...folder.files].sort(byName)];
  }

  private add(entry: ArchiveEntry): void {
    const segments = entry.path.split('/');
    const ancestors = [this.root];
    for (const segment of segments.slice(0, -1)) ancestors.push(childFolder(ancestors[ancestors.length - 1], segment));
    const parent = ancestors[ancestors.length - 1];
    const name = segments[segments.length - 1];

    if (entry.type === 'directory') {
      const folder = childFolder(parent, name);
      folder.node.entry = entry;
      if (entry.unsafe !== undefined) folder.node.unsafe = entry.unsafe;
    } else {
      parent.files.push({ name, path: entry.path, type: 'file', size: entry.size, entry, containsUnsafe: false, ...(entry.unsafe === undefined ? {} : { unsafe: entry.unsafe }) });
    }
    for (const ancestor of ancestors) {
      if (entry.type === 'file') ancestor.node.size += entry.size;
      if (entry.unsafe !== undefined) ancestor.node.containsUnsafe = true;
    }
  }

  private findFolder(folderPath: string): Folder | undefined {
    if (folderPath === '') return this.root;
    let folder: Folder | undefined = this.root;
    for (const segment of folderPath.split('/')) folder = folder?.folders.get(segment);
    return folder;
  }
}

function newFolder(name: string, path: string): Folder {
  return { node: { name, path, type: 'directory', size: 0, containsUnsafe: false }, folders: new Map(), files: [] };
}

function childFolder(parent: Folder, name: string): Folder {
  let folder = parent.folders.get(name);
  if (folder === undefined) {
    folder = newFolder(name, parent.node.path === '' ? name : `${parent.node.path}/${name}`);
    parent.folders.set(name, folder);
  }
  return folder;
}
