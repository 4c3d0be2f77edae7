import assert from 'node:assert/strict';
import { GitLabHttpError, parseErrorBody } from '../../src/gitlab/errors';
import { parseLinkHeader } from '../../src/gitlab/pagination';
import { filenameFromDisposition } from '../../src/gitlab/artifacts';

describe('GitLab error bodies', () => {
  it('reads message, error and error_description bodies', () => {
    assert.deepEqual(parseErrorBody('{"message":"404 Project Not Found"}', 'application/json'), { message: '404 Project Not Found' });
    assert.deepEqual(parseErrorBody('{"error":"job is missing"}', 'application/json'), { message: 'job is missing', errorCode: 'job is missing' });
    assert.deepEqual(parseErrorBody('{"error":"invalid_token","error_description":"Token is expired."}', 'application/json; charset=utf-8'), {
      message: 'invalid_token: Token is expired.',
      errorCode: 'invalid_token',
    });
    assert.deepEqual(parseErrorBody('{"message":{"ref":["is empty"],"base":["No stages"]}}', 'application/json'), { message: 'ref is empty; No stages' });
    assert.deepEqual(parseErrorBody('{"message":{"error":"This endpoint has been requested too many times."}}', 'application/json'), {
      message: 'This endpoint has been requested too many times.',
    });
  });

  it('keeps the text of HTML and plain bodies short', () => {
    assert.equal(parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html').message, '502 Bad Gateway');
    assert.equal(parseErrorBody('Retry later\n', 'text/plain').message, 'Retry later');
  });

  it('tells a bad token from an expired one, and a scope problem from a role problem', () => {
    assert.equal(new GitLabHttpError('GET /user', 401, '401 Unauthorized', undefined).reason, 'unauthorized');
    assert.equal(new GitLabHttpError('GET /user', 401, 'invalid_token', 'invalid_token').reason, 'token-expired');
    assert.equal(new GitLabHttpError('POST /x', 403, 'insufficient_scope', 'insufficient_scope').reason, 'insufficient-scope');
    assert.equal(new GitLabHttpError('POST /x', 403, '403 Forbidden', undefined).reason, 'forbidden');
    assert.equal(new GitLabHttpError('GET /x', 503, 'down', undefined).reason, 'server-error');
  });
});

describe('headers', () => {
  it('parses Link', () => {
    const links = parseLinkHeader(
      '<https://gitlab.example.com/api/v4/projects/8/jobs?page=2&per_page=100>; rel="next", <https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=100>; rel="first"',
    );
    assert.equal(links.next, 'https://gitlab.example.com/api/v4/projects/8/jobs?page=2&per_page=100');
    assert.equal(links.first, 'https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=100');
    assert.deepEqual(parseLinkHeader(undefined), {});
  });

  it('parses Content-Disposition file names', () => {
    assert.equal(filenameFromDisposition('attachment; filename="artifacts.zip"'), 'artifacts.zip');
    assert.equal(filenameFromDisposition("attachment; filename=\"a.zip\"; filename*=UTF-8''r%C3%A9sum%C3%A9.zip"), 'résumé.zip');
    assert.equal(filenameFromDisposition(undefined), undefined);
  });
});
