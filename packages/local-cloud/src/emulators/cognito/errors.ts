/** An error answered the way Cognito does: `code` becomes `__type` and `x-amzn-ErrorType`. */
export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

export const invalidParameter = (message: string) =>
  new CognitoError('InvalidParameterException', message);
export const notAuthorized = (message: string) =>
  new CognitoError('NotAuthorizedException', message);
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
export const wrongPassword = () => notAuthorized('Incorrect username or password.');
export const codeMismatch = () =>
  new CognitoError(
    'CodeMismatchException',
    'Invalid verification code provided, please try again.',
  );
