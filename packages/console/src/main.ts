import { type ConsoleConfig, callJson } from './api';
import { h, replace } from './dom';
import type { Page } from './page';
import { analyticsPage } from './pages/analytics';
import { catalogPage } from './pages/catalog';
import { emailsPage } from './pages/emails';
import { orderPage } from './pages/orderDetail';
import { ordersPage } from './pages/orders';
import { placeOrderPage } from './pages/placeOrder';
import { queuesPage } from './pages/queues';
import { signInPage } from './pages/signIn';
import { ProblemError } from './problem';
import { restoreSession, type Session, signOut } from './session';
import { heading, problemBox } from './ui';

/** Hash routes: the console is one page served by the local cloud, with no server routing. */
const ROUTES: [RegExp, Page][] = [
  [/^#\/sign-in$/, signInPage],
  [/^#\/orders$/, ordersPage],
  [/^#\/orders\/([^/]+)$/, orderPage],
  [/^#\/order$/, placeOrderPage],
  [/^#\/catalog$/, catalogPage],
  [/^#\/emails$/, emailsPage],
  [/^#\/queues$/, queuesPage],
  [/^#\/analytics$/, analyticsPage],
];

const NAV: { hash: string; label: string; audience: Page['audience'] | 'signed-out' }[] = [
  { hash: '#/orders', label: 'Orders', audience: 'signed-in' },
  { hash: '#/order', label: 'Place an order', audience: 'signed-in' },
  { hash: '#/catalog', label: 'Catalog', audience: 'anyone' },
  { hash: '#/emails', label: 'Emails', audience: 'signed-in' },
  { hash: '#/queues', label: 'Queues', audience: 'admin' },
  { hash: '#/analytics', label: 'Analytics', audience: 'admin' },
  { hash: '#/sign-in', label: 'Sign in', audience: 'signed-out' },
];

const APP_NAME = 'serverless-shop console';

/** What a customer gets on an administrator's page (the routes behind it answer 403 too). */
function adminOnly(title: string): Page {
  return {
    title,
    audience: 'anyone',
    render: ({ main }) =>
      replace(
        main,
        heading(title),
        problemBox(
          new ProblemError({
            status: 403,
            title: 'Forbidden',
            detail:
              'only administrators (the admin group) see this page; sign in as admin@example.com',
          }),
        ),
      ),
  };
}

async function boot(): Promise<void> {
  const main = document.getElementById('main') as HTMLElement;
  const header = document.getElementById('top') as HTMLElement;
  let config: ConsoleConfig;
  try {
    config = await callJson<ConsoleConfig>('api/config');
  } catch (error) {
    replace(main, heading('The console cannot start'), problemBox(error));
    return;
  }
  let session: Session | undefined = restoreSession();
  let leave = new AbortController();

  const visible = (audience: Page['audience'] | 'signed-out') =>
    audience === 'anyone' ||
    (audience === 'signed-out' && !session) ||
    (audience === 'signed-in' && Boolean(session)) ||
    (audience === 'admin' && Boolean(session?.admin));

  const renderHeader = (current: string) => {
    replace(
      header,
      h('p', { class: 'brand' }, h('a', { href: '#/orders' }, APP_NAME)),
      h(
        'nav',
        { 'aria-label': 'Console' },
        h(
          'ul',
          {},
          NAV.filter((item) => visible(item.audience)).map((item) =>
            h(
              'li',
              {},
              h(
                'a',
                {
                  href: item.hash,
                  'aria-current':
                    current === item.hash || current.startsWith(`${item.hash}/`)
                      ? 'page'
                      : undefined,
                },
                item.label,
              ),
            ),
          ),
        ),
      ),
      session
        ? h(
            'p',
            { class: 'who' },
            `Signed in as ${session.email} (${session.admin ? 'admin' : 'customer'}) `,
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () => {
                  signOut();
                  setSession(undefined);
                },
              },
              'Sign out',
            ),
          )
        : null,
    );
  };

  const show = async () => {
    leave.abort();
    leave = new AbortController();
    if (session && session.expiresAt <= Date.now()) {
      signOut();
      session = undefined;
    }
    let hash = window.location.hash;
    if (!ROUTES.some(([pattern]) => pattern.test(hash))) {
      hash = session ? '#/orders' : '#/sign-in';
      history.replaceState(null, '', hash);
    }
    const [pattern, page] = ROUTES.find(([p]) => p.test(hash)) as [RegExp, Page];
    const params = (pattern.exec(hash) ?? []).slice(1).map(decodeURIComponent);
    renderHeader(hash);
    const render =
      page.audience !== 'anyone' && !session
        ? signInPage
        : page.audience === 'admin' && !session?.admin
          ? adminOnly(page.title)
          : page;
    document.title = `${render.title} · ${APP_NAME}`;
    const rendering = Promise.resolve(render.render(context(params))).catch((error: unknown) => {
      replace(main, heading(page.title), problemBox(error));
    });
    // Focus goes to the new page's heading, as a full page load would reset it. Every page
    // puts its heading in place before it waits for anything (a live page never stops waiting).
    if (!main.contains(document.activeElement) || document.activeElement === main) {
      main.querySelector<HTMLElement>('h1')?.focus();
    }
    await rendering;
  };

  const setSession = (next: Session | undefined) => {
    session = next;
    if (next && (window.location.hash === '#/sign-in' || !window.location.hash)) {
      window.location.hash = '#/orders';
    } else {
      void show();
    }
  };

  const context = (params: string[]) => ({
    config,
    session,
    main,
    params,
    signal: leave.signal,
    navigate: (hash: string) => {
      window.location.hash = hash;
    },
    setSession,
  });

  window.addEventListener('hashchange', () => void show());
  document.getElementById('skip')?.addEventListener('click', (event) => {
    // The skip link moves focus without touching the hash, which is the route.
    event.preventDefault();
    main.querySelector<HTMLElement>('h1')?.focus();
  });
  await show();
}

void boot();
