// Artifact archives: safe extraction, and listing or extracting single files of local or remote zips.

export { ArchiveEntryNotFoundError, DestinationExistsError, UnsafeArchiveError, type UnsafeArchiveReason } from './errors';
export { extractArchive, type ExtractedEntry, type ExtractOptions, type ExtractProgress, type ExtractResult } from './extract';
export { DEFAULT_LIMITS, type ExtractionLimits } from './limits';
export { listLocalZip, openLocalZip } from './localZip';
export { extractRemoteEntry, listRemoteZip, openRemoteZip, type RangeReader } from './remoteZip';
export { ArchiveTree, type ArchiveTreeNode } from './tree';
export type { ZipArchive, ExtractEntryOptions, OpenArchiveOptions } from './zipArchive';
export type { ArchiveEntry } from './zipEntries';
export { ArchiveEntryTooLargeError, DEFAULT_PREVIEW_MAX_BYTES, findArchiveEntry, readArchiveEntry, type ReadEntryOptions } from './preview';
