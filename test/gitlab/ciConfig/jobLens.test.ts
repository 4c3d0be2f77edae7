import assert from 'node:assert/strict';
import { jobLensTitle, latestJobsByName } from '../../../src/gitlab/ciConfig';
import type { Job } from '../../../src/gitlab/models';

function job(fields: Partial<Job>): Job {
  return { id: 1, name: 'build', status: 'success', allow_failure: false, duration: null, started_at: null, finished_at: null, ...fields } as Job;
}

describe('job lens titles', () => {
  const now = Date.parse('2026-01-01T10:00:40Z');
  it('says each state in a few words with its duration and id', () => {
    assert.equal(jobLensTitle(job({ id: 1234, status: 'success', duration: 72 }), now), '✓ passed 1m 12s · #1234');
    assert.equal(jobLensTitle(job({ id: 7, status: 'failed', duration: 5 }), now), '✗ failed 5s · #7');
    assert.equal(jobLensTitle(job({ id: 7, status: 'failed', allow_failure: true, duration: 5 }), now), '✗ failed (allowed) 5s · #7');
    assert.equal(jobLensTitle(job({ id: 8, status: 'manual' }), now), '▶ manual · #8');
    assert.equal(jobLensTitle(job({ id: 9, status: 'running', started_at: '2026-01-01T10:00:00Z' }), now), '● running 40s · #9');
    assert.equal(jobLensTitle(job({ id: 10, status: 'pending' }), now), '◌ pending · #10');
    assert.equal(jobLensTitle(job({ id: 11, status: 'brand_new' }), now), 'brand_new · #11');
  });

  it('keeps the newest attempt of each job', () => {
    const jobs = [job({ id: 3, name: 'test' }), job({ id: 5, name: 'test' }), job({ id: 4, name: 'build' })];
    assert.deepEqual([...latestJobsByName(jobs)].map(([name, found]) => [name, found.id]), [['test', 5], ['build', 4]]);
  });
});
