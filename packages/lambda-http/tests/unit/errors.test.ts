import {
  forbidden,
  HttpError,
  preconditionFailed,
  preconditionRequired,
  unauthorized,
} from '../../src/errors';

describe('Function: unauthorized', () => {
  it('is a 401 that asks for a bearer token', () => {
    const error = unauthorized();

    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      statusCode: 401,
      title: 'Unauthorized',
      message: 'sign in and send the token as "Authorization: Bearer <token>"',
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
    expect(error.issues).toBeUndefined();
  });

  it('takes another detail', () => {
    expect(unauthorized('the token has expired').message).toBe('the token has expired');
  });
});

describe.each([
  ['forbidden', forbidden, 403, 'Forbidden'],
  ['preconditionFailed', preconditionFailed, 412, 'Precondition Failed'],
  ['preconditionRequired', preconditionRequired, 428, 'Precondition Required'],
])('Function: %s', (_name, factory, statusCode, title) => {
  it(`is a ${statusCode} ${title} with the given detail and no extra headers`, () => {
    const error = factory('some detail');

    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ statusCode, title, message: 'some detail' });
    expect(error.headers).toBeUndefined();
  });
});
