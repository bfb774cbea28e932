/** An RFC 9457 problem document, as the shop's APIs and the console's routes answer errors. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  issues?: { path: string; message: string }[];
}

/** An API answered with an error; `problem` says what it said. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ProblemError';
  }
}

/**
 * What an error body says, as a problem: the shop's problem documents as they are; API
 * Gateway's `{"message":"Unauthorized"}` (401, 429) and Cognito's `{"__type","message"}` errors
 * turned into one; anything else shown as text, so no error is lost.
 *
 * @example
 * toProblem(404, '{"title":"Not Found","status":404,"detail":"no order o-1"}');
 * // { status: 404, title: 'Not Found', detail: 'no order o-1' }
 * toProblem(400, '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}');
 * // { status: 400, title: 'NotAuthorizedException', detail: 'Incorrect username or password.' }
 */
export function toProblem(status: number, body: string, statusText = ''): Problem {
  let parsed: Record<string, unknown> | undefined;
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value))
      parsed = value as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const fallbackTitle = statusText || `HTTP ${status}`;
  if (!parsed) {
    const trimmed = body.trim().slice(0, 500);
    return { status, title: fallbackTitle, ...(trimmed ? { detail: trimmed } : {}) };
  }
  const issues = Array.isArray(parsed.issues)
    ? parsed.issues
        .filter((issue): issue is { path: unknown; message: unknown } =>
          Boolean(issue && typeof issue === 'object'),
        )
        .map((issue) => ({ path: String(issue.path ?? ''), message: String(issue.message ?? '') }))
    : undefined;
  const cognitoType = text(parsed.__type)?.split('#').at(-1);
  const title = text(parsed.title) ?? cognitoType ?? text(parsed.message) ?? fallbackTitle;
  const detail =
    text(parsed.detail) ?? (title !== parsed.message ? text(parsed.message) : undefined);
  return {
    status: typeof parsed.status === 'number' ? parsed.status : status,
    title,
    ...(detail ? { detail } : {}),
    ...(issues && issues.length > 0 ? { issues } : {}),
  };
}

/** The problem of a failed response. */
export async function problemOf(response: Response): Promise<Problem> {
  return toProblem(response.status, await response.text(), response.statusText);
}
