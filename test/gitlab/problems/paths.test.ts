import * as assert from 'node:assert/strict';
import { toProjectRelative } from '../../../src/gitlab/problems/paths';

describe('CI paths mapped into the project', () => {
  const options = { projectPath: 'demo-group/demo-app' };

  it("maps a docker runner's /builds/<project path>/ and a shell runner's builds/<token>/<n>/<project path>/", () => {
    assert.equal(toProjectRelative('/builds/demo-group/demo-app/src/format.ts', options), 'src/format.ts');
    assert.equal(toProjectRelative('/home/gitlab-runner/builds/t3_abc/0/demo-group/demo-app/src/a.ts', options), 'src/a.ts');
    assert.equal(toProjectRelative('file:///builds/demo-group/demo-app/app/App.kt', options), 'app/App.kt');
    assert.equal(toProjectRelative('C:\\GitLab-Runner\\builds\\demo-group\\demo-app\\src\\a.cs', options), 'src/a.cs');
  });

  it("uses the CI_PROJECT_DIR the log showed, and keeps relative paths relative to the checkout's root", () => {
    assert.equal(toProjectRelative('/custom/checkout/lib/x.py', { ...options, projectDir: '/custom/checkout' }), 'lib/x.py');
    assert.equal(toProjectRelative('./cart/cart.go', options), 'cart/cart.go');
    assert.equal(toProjectRelative('src/a/../b.ts', options), 'src/b.ts');
  });

  it('drops hostile and foreign paths: outside the checkout, climbing out with .., control characters, absurd lengths', () => {
    for (const hostile of [
      '/etc/passwd',
      '/usr/lib/python3.11/json/decoder.py',
      '/builds/demo-group/demo-app/../../../etc/passwd',
      '/builds/other-group/other-app/src/a.ts',
      '../../etc/shadow',
      'src/../../outside.ts',
      '..',
      'src/a.ts\u0000.png',
      'src/\u001b[31mred.ts',
      `src/${'a/'.repeat(600)}x.ts`,
      '',
    ]) assert.equal(toProjectRelative(hostile, options), undefined, JSON.stringify(hostile.slice(0, 60)));
  });
});
