import type { ConsoleConfig } from './api';
import type { Session } from './session';

/** What a page gets when it opens. */
export interface PageContext {
  config: ConsoleConfig;
  session: Session | undefined;
  /** Where the page renders (the `<main>` element). */
  main: HTMLElement;
  /** The route's parameters (`#/orders/<id>` → `[id]`). */
  params: string[];
  /** Aborted when the page is left: streams, timers and pending requests stop with it. */
  signal: AbortSignal;
  navigate(hash: string): void;
  /** Signs in (a session) or out (undefined), then shows the right page. */
  setSession(session: Session | undefined): void;
}

export interface Page {
  /** The document title (the page's heading says more). */
  title: string;
  /** Who may open it: the console's routes and the APIs check again. */
  audience: 'anyone' | 'signed-in' | 'admin';
  render(context: PageContext): void | Promise<void>;
}

/** Runs `task` every `ms` until the page is left; the first run is immediate. */
export function every(signal: AbortSignal, ms: number, task: () => Promise<void>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    if (signal.aborted) return;
    await task().catch(() => {});
    if (!signal.aborted) timer = setTimeout(run, ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  void run();
}

/** Whether an error is the page being left (an aborted fetch), not a failure to show. */
export function isAbort(error: unknown): boolean {
  return (error as Error)?.name === 'AbortError';
}
