import { ADMIN_GROUP, callerFromClaims } from '../../src/caller';

/** Claims of a verified ID token in API Gateway's string form; override any claim. */
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'cust-42',
  email: 'ada@example.com',
  email_verified: 'true',
  token_use: 'id',
  ...overrides,
});

describe('Function: callerFromClaims', () => {
  it('reads the id, verified email and groups as API Gateway passes them (strings)', () => {
    const caller = callerFromClaims(claims({ 'cognito:groups': '[admin sales]' }));

    expect(caller).toEqual({
      id: 'cust-42',
      verifiedEmail: 'ada@example.com',
      groups: ['admin', 'sales'],
      isAdmin: true,
    });
  });

  it('reads the same claims as JSON values, as they arrive locally', () => {
    const caller = callerFromClaims(
      claims({ email_verified: true, 'cognito:groups': ['admin', 'sales'] }),
    );

    expect(caller).toEqual({
      id: 'cust-42',
      verifiedEmail: 'ada@example.com',
      groups: ['admin', 'sales'],
      isAdmin: true,
    });
  });

  it.each([
    ['"[admin]"', '[admin]', ['admin']],
    ['"admin" without brackets', 'admin', ['admin']],
    ['"[admin, sales]" with a comma', '[admin, sales]', ['admin', 'sales']],
    ['"[]"', '[]', []],
    ['an empty string', '', []],
    ['an empty array', [], []],
    ['an array with a non-string entry', ['sales', 7, null], ['sales']],
    ['a number', 7, []],
  ])('reads cognito:groups given as %s', (_case, groups, expected) => {
    expect(callerFromClaims(claims({ 'cognito:groups': groups }))?.groups).toEqual(expected);
  });

  it('gives a caller without cognito:groups no groups and no admin rights', () => {
    expect(callerFromClaims(claims())).toEqual({
      id: 'cust-42',
      verifiedEmail: 'ada@example.com',
      groups: [],
      isAdmin: false,
    });
  });

  it.each([
    ['sales only', '[sales]'],
    ['a group that merely contains the word', '[administrators shop-admin]'],
    ['another case', '[Admin]'],
  ])(`is not an admin with %s (the group is exactly "${ADMIN_GROUP}")`, (_case, groups) => {
    expect(callerFromClaims(claims({ 'cognito:groups': groups }))?.isAdmin).toBe(false);
  });

  it.each([
    ['"false"', { email_verified: 'false' }],
    ['false', { email_verified: false }],
    ['missing', { email_verified: undefined }],
    ['"TRUE" (not the exact string)', { email_verified: 'TRUE' }],
    ['"1"', { email_verified: '1' }],
  ])('drops the email when email_verified is %s', (_case, overrides) => {
    const caller = callerFromClaims(claims(overrides));

    expect(caller).toMatchObject({ id: 'cust-42' });
    expect(caller).not.toHaveProperty('verifiedEmail');
  });

  it.each([
    ['no email (an access token)', { email: undefined, token_use: 'access' }],
    ['an empty email', { email: '' }],
    ['an email that is not a string', { email: ['ada@example.com'] }],
  ])('has no verified email for %s', (_case, overrides) => {
    expect(callerFromClaims(claims(overrides))).not.toHaveProperty('verifiedEmail');
  });

  it.each([
    ['no claims', undefined],
    ['empty claims', {}],
    ['no sub', claims({ sub: undefined })],
    ['an empty sub', claims({ sub: '' })],
    ['a sub that is not a string', claims({ sub: 42 })],
  ])('returns undefined for %s', (_case, given) => {
    expect(callerFromClaims(given)).toBeUndefined();
  });
});
