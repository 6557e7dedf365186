import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, token, ApiError } from './api.js';
import { Tail } from './views/tail.js';
import { Sagas } from './views/sagas.js';
import { Streams } from './views/streams.js';
import { Failures } from './views/failures.js';
import { Health } from './views/health.js';

/**
 * The shell: sign-in with the admin token, then five views. Where the
 * operator is lives in the URL's hash (#sagas/<id>, #streams/<streamId>), so
 * a link to a saga or a stream can be shared and the back button works.
 */

const VIEWS = [
  ['tail', 'Live tail', Tail],
  ['sagas', 'Sagas', Sagas],
  ['streams', 'Streams', Streams],
  ['failures', 'Failures', Failures],
  ['health', 'Health', Health],
];

function readHash() {
  const [view, ...rest] = decodeURIComponent(location.hash.slice(1)).split('/');
  return { view: VIEWS.some(([name]) => name === view) ? view : 'tail', arg: rest.join('/') };
}

function SignIn({ onSignedIn }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    try {
      // Any admin route tells whether the token is the admin's.
      await get('/admin/dead-letters', { as: value });
      token.set(value);
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  }
  return html`<form class="signin" onSubmit=${submit}>
    <h1>Operator console</h1>
    <label>Admin token <input type="password" autocomplete="current-password" value=${value} onInput=${(e) => setValue(e.target.value)} /></label>
    <button type="submit">Sign in</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form>`;
}

function Console() {
  const [signedIn, setSignedIn] = useState(Boolean(token.get()));
  const [where, setWhere] = useState(readHash);
  useEffect(() => {
    const onHash = () => setWhere(readHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (!signedIn) return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  const signOut = () => {
    token.clear();
    setSignedIn(false);
  };
  const [, , View] = VIEWS.find(([name]) => name === where.view);
  return html`<header>
      <strong>Concert operator console</strong>
      <nav>${VIEWS.map(([name, label]) => html`<a href="#${name}" aria-current=${where.view === name ? 'page' : undefined}>${label}</a>`)}</nav>
      <button class="quiet" onClick=${signOut}>Sign out</button>
    </header>
    <section class="view"><${View} arg=${where.arg} onUnauthorized=${signOut} /></section>`;
}

const root = document.getElementById('console');
// The page's placeholder text goes: Preact renders into an empty element.
root.replaceChildren();
render(html`<${Console} />`, root);
