// Loaded by every page. Reads the session, fills the header (the acting-for switch, Logg ut, the
// Meny button on narrow screens), enforces the page's body data attributes (data-auth, data-level,
// data-consent, data-shows; see docs/api.md) and then runs the page's own module
// (static/js/pages/<data-module>.js) with a context object.

import * as acting from './acting.js';
import { api } from './api.js';
import { formatDateTime, lang, t } from './i18n.js';
import * as ui from './ui.js';

const body = document.body;
const page = {
  name: body.dataset.page,
  auth: body.dataset.auth,
  level: body.dataset.level,
  consent: body.dataset.consent,
  module: body.dataset.module || '',
};

function consentIsCurrent(session) {
  const consent = session.consent;
  if (!consent || consent.given !== true) return false;
  return !consent.current_version || !consent.version || consent.version === consent.current_version;
}

async function logout(button) {
  button.disabled = true;
  try {
    const answer = await api.send('POST', '/api/accounts/logout');
    window.location.assign((answer && answer.redirect) || `/${lang}/logget-ut.html`);
  } catch (err) {
    if (err.status === 401) {
      window.location.assign(`/${lang}/logget-ut.html`);
      return;
    }
    button.disabled = false;
    ui.handleError(err);
  }
}

/** Fills the header; returns false when the page must not show its content (acting.setup). */
function fillHeader(session) {
  const area = document.getElementById('user-area');
  if (!area) return true;
  if (!session.authenticated) {
    area.hidden = true;
    return true;
  }
  const button = document.getElementById('logout-button');
  button.addEventListener('click', () => logout(button));
  area.hidden = false;
  return acting.setup(session);
}

/** On narrow screens the main menu folds behind "Meny" (aria-expanded); CSS shows the button only there. */
function wireMenu() {
  const header = document.getElementById('site-header');
  const toggle = document.getElementById('menu-toggle');
  const menu = document.getElementById('main-nav');
  if (!header || !toggle || !menu) return;
  const setOpen = (open) => {
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    menu.classList.toggle('is-open', open);
  };
  toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  const closeOnEscape = (event) => {
    if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true' && toggle.offsetParent) {
      setOpen(false);
      toggle.focus();
    }
  };
  toggle.addEventListener('keydown', closeOnEscape);
  menu.addEventListener('keydown', closeOnEscape);
  header.classList.add('menu-collapsible');
}

/**
 * After a login that ended another person's session in this browser the callback lands here
 * with ?switched=1: say so once, and drop the flag from the address (a reload says nothing).
 * Returns whether it was shown, so a redirect to the consent page can carry it on.
 */
function showSwitchedNotice() {
  const url = new URL(window.location.href);
  if (url.searchParams.get('switched') !== '1') return false;
  url.searchParams.delete('switched');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  const notice = document.getElementById('switched-notice');
  if (notice) notice.hidden = false;
  return true;
}

/** Keep the query string (e.g. ?reason=) when switching language. */
function wireLanguageSwitch() {
  const link = document.getElementById('lang-switch');
  if (link && (window.location.search || window.location.hash)) {
    link.href = link.getAttribute('href') + window.location.search + window.location.hash;
  }
}

/** True when the page may show its content; otherwise shows a panel or navigates away. */
function gate(session, switched) {
  if (page.auth !== 'required') return true;
  if (!session.authenticated) {
    ui.showLoginPrompt();
    return false;
  }
  if (page.level === 'high' && session.level !== 'high') {
    ui.showStepUp();
    return false;
  }
  if (page.consent === 'required' && !consentIsCurrent(session)) {
    const next = encodeURIComponent(window.location.pathname);
    window.location.replace(`/${lang}/samtykke.html?next=${next}${switched ? '&switched=1' : ''}`);
    return false;
  }
  return true;
}

/**
 * "Innboks (2)" in the menu (R25): the unread dialogs of the person the header shows, for a BankID
 * session that has consented, for the patient's own dialogs; counted again when a page says it
 * changed (a dialog was opened).
 */
function showUnread(session) {
  const badge = document.getElementById('nav-unread');
  if (!badge || !session.authenticated || session.level !== 'high' || !consentIsCurrent(session)) return;
  // Acting for someone, a count would be a read in their access log on every page (R55): their
  // Innboks marks the unread dialogs instead.
  if (session.acting_for) return;
  const count = async () => {
    try {
      const answer = await api.get('/api/dialogs/unread');
      const n = (answer && answer.count) || 0;
      badge.textContent = n ? ` (${n})` : '';
      badge.hidden = n === 0;
    } catch {
      badge.hidden = true; // the menu works without the count
    }
  };
  document.addEventListener('portal:unread-changed', count);
  count();
}

async function runPageModule(context) {
  if (!/^[a-z][a-z0-9-]*$/.test(page.module)) return;
  const module = await import(`./pages/${page.module}.js`);
  if (typeof module.init === 'function') await module.init(context);
}

async function start() {
  const switched = showSwitchedNotice();
  wireLanguageSwitch();
  wireMenu();
  let session;
  try {
    session = await api.session();
  } catch (err) {
    ui.handleError(err);
    if (page.auth === 'required') return;
    session = { authenticated: false };
  }
  const mayShow = fillHeader(session);
  if (!gate(session, switched)) return;
  if (!mayShow) {
    body.classList.add('is-ready'); // the page shows the "no longer access" notice instead
    return;
  }
  ui.revealContent();
  body.classList.add('is-ready');
  showUnread(session);
  await runPageModule({ api, t, lang, ui, formatDateTime, session, page });
}

start().catch((err) => ui.handleError(err));
