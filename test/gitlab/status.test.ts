import assert from 'node:assert/strict';
import type { Job } from '../../src/gitlab/models';
import { compositeStatus, elapsedSeconds, formatDuration, formatRunningTime, jobCapabilities } from '../../src/gitlab/status';

const job = (status: string, allowFailure = false) => ({ status, allow_failure: allowFailure });

describe('job and stage status', () => {
  it('composes a stage status the way GitLab does', () => {
    assert.equal(compositeStatus([job('success'), job('running')]), 'running');
    assert.equal(compositeStatus([job('success'), job('pending')]), 'pending');
    assert.equal(compositeStatus([job('success'), job('failed')]), 'failed');
    assert.equal(compositeStatus([job('success'), job('failed', true)]), 'success');
    assert.equal(compositeStatus([job('success'), job('manual', true)]), 'success');
    assert.equal(compositeStatus([job('manual', true)]), 'manual');
    assert.equal(compositeStatus([job('success'), job('manual')]), 'manual');
    assert.equal(compositeStatus([job('canceled'), job('success')]), 'canceled');
    assert.equal(compositeStatus([job('skipped'), job('skipped')]), 'skipped');
    assert.equal(compositeStatus([job('created'), job('created')]), 'created');
    assert.equal(compositeStatus([job('success'), job('weird_new_status')]), 'weird_new_status');
  });

  it('offers only what GitLab allows', () => {
    const base = { artifacts: [], started_at: '2025-01-01T00:00:00Z', erased_at: null, artifacts_expire_at: null } as unknown as Job;
    const failed = jobCapabilities({ ...base, status: 'failed' });
    assert.deepEqual([failed.retryable, failed.cancelable, failed.playable, failed.erasable, failed.hasTrace], [true, false, false, true, true]);
    assert.equal(jobCapabilities({ ...base, status: 'failed', retried: true }).retryable, false);
    const running = jobCapabilities({ ...base, status: 'running' });
    assert.deepEqual([running.retryable, running.cancelable, running.erasable], [false, true, false]);
    const manual = jobCapabilities({ ...base, status: 'manual', started_at: null });
    assert.deepEqual([manual.playable, manual.hasTrace], [true, false]);
    const withArchive = jobCapabilities({
      ...base,
      status: 'success',
      artifacts: [{ file_type: 'archive', size: 10, filename: 'artifacts.zip', file_format: 'zip' }, { file_type: 'trace', size: 5, filename: 'job.log', file_format: null }],
      artifacts_expire_at: '2030-01-01T00:00:00Z',
    });
    assert.deepEqual([withArchive.hasArtifacts, withArchive.hasArchive, withArchive.expiring], [true, true, true]);
    const traceOnly = jobCapabilities({ ...base, status: 'success', artifacts: [{ file_type: 'trace', size: 5, filename: 'job.log', file_format: null }] });
    assert.equal(traceOnly.hasArtifacts, false);
  });

  it('formats durations and elapsed time', () => {
    assert.equal(formatDuration(5.4), '5s');
    assert.equal(formatDuration(187), '3m 07s');
    assert.equal(formatDuration(3720), '1h 02m');
    assert.equal(elapsedSeconds({ duration: 12 }), 12);
    assert.equal(elapsedSeconds({ started_at: '2025-01-01T00:00:00Z', finished_at: null }, Date.parse('2025-01-01T00:01:30Z')), 90);
    assert.equal(elapsedSeconds({ started_at: null }), undefined);
    // Running: from its start, whatever duration GitLab sent when it answered.
    assert.equal(elapsedSeconds({ started_at: '2025-01-01T00:00:00Z', finished_at: null, duration: 5 }, Date.parse('2025-01-01T00:02:00Z')), 120);
    assert.equal(formatRunningTime(59), '< 1m');
    assert.equal(formatRunningTime(187), '3m');
    assert.equal(formatRunningTime(3720), '1h 02m');
  });
});
