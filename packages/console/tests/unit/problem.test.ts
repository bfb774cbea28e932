import { toProblem } from '../../src/problem';

describe('toProblem', () => {
  it('keeps a problem document as the API said it, issues included', () => {
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'the request has invalid fields',
      issues: [{ path: 'lines.0.quantity', message: 'must be at least 1' }],
    });
    expect(toProblem(400, body)).toEqual({
      status: 400,
      title: 'Bad Request',
      detail: 'the request has invalid fields',
      issues: [{ path: 'lines.0.quantity', message: 'must be at least 1' }],
    });
  });

  it("turns Cognito's and API Gateway's error bodies into problems", () => {
    expect(
      toProblem(
        400,
        '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}',
      ),
    ).toEqual({
      status: 400,
      title: 'NotAuthorizedException',
      detail: 'Incorrect username or password.',
    });
    expect(toProblem(401, '{"message":"Unauthorized"}')).toEqual({
      status: 401,
      title: 'Unauthorized',
    });
  });

  it('shows a body that is not JSON as text rather than losing it', () => {
    expect(toProblem(502, 'upstream went away', 'Bad Gateway')).toEqual({
      status: 502,
      title: 'Bad Gateway',
      detail: 'upstream went away',
    });
  });
});
