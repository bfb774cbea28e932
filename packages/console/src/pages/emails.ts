import { callJson, type Email } from '../api';
import { h, replace } from '../dom';
import { isAbort, type Page } from '../page';
import { emailViewer, heading, problemBox, statusLine, when } from '../ui';

/** What the local SES received: a customer's own emails, or every email for the administrator. */
export const emailsPage: Page = {
  title: 'Emails',
  audience: 'signed-in',
  async render({ main, session, signal }) {
    const status = statusLine();
    const list = h('div', {});
    const viewer = h('div', {});
    const load = async () => {
      status.textContent = 'Loading emails…';
      try {
        const { emails } = await callJson<{ emails: Email[] }>('api/emails', {
          token: session?.idToken,
          signal,
        });
        status.textContent = `${emails.length} email(s).`;
        replace(list, emails.length === 0 ? h('p', {}, 'No email yet.') : emailTable(emails));
      } catch (error) {
        if (isAbort(error)) return;
        status.textContent = '';
        replace(list, problemBox(error));
      }
    };
    const emailTable = (emails: Email[]) =>
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Emails, newest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Received'),
            h('th', { scope: 'col' }, 'To'),
            h('th', { scope: 'col' }, 'Subject'),
          ),
        ),
        h(
          'tbody',
          {},
          emails.map((email) =>
            h(
              'tr',
              {},
              h('td', {}, when(email.at)),
              h('td', {}, email.to.join(', ')),
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    onclick: () => {
                      replace(viewer, emailViewer(email));
                      viewer.querySelector('h3')?.scrollIntoView();
                    },
                  },
                  email.subject,
                ),
              ),
            ),
          ),
        ),
      );
    replace(
      main,
      heading('Emails'),
      h(
        'p',
        {},
        session?.admin
          ? 'Every email the local SES received.'
          : 'The emails the local SES received for you, as you would see them.',
      ),
      h('p', {}, h('button', { type: 'button', onclick: () => void load() }, 'Refresh')),
      status,
      list,
      viewer,
    );
    await load();
  },
};
