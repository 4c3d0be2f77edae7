// What tools answer, as zod shapes: the SDK publishes them as each tool's outputSchema and checks every
// structured answer against them, so an answer cannot drift from what the tool list promises.
import { z } from 'zod';

/** GitLab may send null or leave the field out (older versions, other entities). */
const maybeString = z.string().nullish();
const maybeNumber = z.number().nullish();

export const jobSummary = z.object({
  id: z.number(),
  name: z.string(),
  stage: z.string(),
  status: z.string(),
  failure_reason: maybeString,
  allow_failure: z.boolean().optional(),
  ref: z.string(),
  pipeline_id: z.number().optional(),
  project_id: z.number().optional(),
  created_at: z.string(),
  started_at: maybeString,
  finished_at: maybeString,
  duration: maybeNumber,
  queued_duration: maybeNumber,
  retried: z.boolean().optional(),
  erased_at: maybeString,
  runner: z.object({ id: z.number(), description: maybeString }).nullable(),
  artifacts: z.array(z.object({ file_type: z.string(), filename: z.string(), size: z.number() })),
  artifacts_expire_at: maybeString,
  web_url: z.string(),
});
export type JobSummary = z.infer<typeof jobSummary>;

export const pipelineSummary = z.object({
  id: z.number(),
  iid: z.number().optional(),
  project_id: z.number().optional(),
  status: z.string(),
  ref: z.string(),
  sha: z.string(),
  source: z.string().optional(),
  name: maybeString,
  created_at: z.string(),
  updated_at: z.string(),
  web_url: z.string(),
});
export type PipelineSummary = z.infer<typeof pipelineSummary>;

/** Where the caller is in a list, and how to get the next page. */
export const pageShape = {
  page: z.number(),
  per_page: z.number(),
  next_page: z.number().nullable(),
  total: z.number().optional(),
  total_pages: z.number().optional(),
};

/** A listing of archive entries: the first ones, and how many there are. */
export const entryListingShape = {
  entry_count: z.number(),
  file_count: z.number(),
  entries: z.array(z.object({ path: z.string(), type: z.enum(['file', 'directory']), size: z.number(), unsafe: z.string().optional() })),
  entries_not_listed: z.number().optional(),
};

/** A whole archive saved: extracted into `directory`, or kept as `zip_path`. */
export const savedArchiveShape = {
  directory: z.string().optional(),
  zip_path: z.string().optional(),
  archive_bytes: z.number(),
  extracted_bytes: z.number().optional(),
  ...entryListingShape,
};

/** One file of an archive saved, inline too when it is short text. */
export const savedFileShape = { path: z.string(), size: z.number(), content: z.string().optional() };
