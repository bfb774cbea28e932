import { h, replace } from '../dom';
import type { Page } from '../page';
import { signIn } from '../session';
import { field, heading, problemBox, section } from '../ui';

export const signInPage: Page = {
  title: 'Sign in',
  audience: 'anyone',
  render({ main, config, setSession }) {
    const email = h('input', {
      type: 'email',
      name: 'email',
      autocomplete: 'username',
      required: true,
    });
    const password = h('input', {
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const submit = h('button', { type: 'submit' }, 'Sign in');
    const outcome = h('div', { 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'stack', 'aria-label': 'Sign in' },
      field('Email', email),
      field('Password', password),
      submit,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      replace(outcome, h('p', {}, 'Signing in…'));
      try {
        setSession(await signIn(config, email.value.trim(), password.value));
      } catch (error) {
        replace(outcome, problemBox(error));
        submit.disabled = false;
      }
    });
    const fill = (user: (typeof config.seededUsers)[number]) => () => {
      email.value = user.email;
      password.value = user.password;
      submit.focus();
    };
    replace(
      main,
      heading('Sign in'),
      h(
        'p',
        {},
        'Sign in through the local Cognito user pool, with the same InitiateAuth call ' +
          '(USER_PASSWORD_AUTH) a client app makes. Customers see their own orders; the ' +
          'administrator sees every order, the queues, uploads and analytics.',
      ),
      form,
      outcome,
      config.seededUsers.length > 0
        ? section(
            'Seeded users',
            h('p', {}, 'Local only (services/identity/seed/UserPool.json):'),
            h(
              'ul',
              { class: 'inline-list' },
              config.seededUsers.map((user) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'secondary', onclick: fill(user) },
                    `Fill in ${user.email} (${user.role})`,
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  },
};
