// Acting for someone (R35-R37): the header's switch ("Du ser nå: <navn>"), the line a page shows
// about whose data it holds, and the notice when the access has ended. The choice lives in the
// server-side session only (POST /api/accounts/acting-for); this module keeps nothing in the URL
// or in browser storage. The people one may act for are read lazily, when the switch is opened.

import { api } from './api.js';
import { t } from './i18n.js';
import * as ui from './ui.js';

const RELATIONS_PATH = '/api/accounts/relations';
const ACTING_PATH = '/api/accounts/acting-for';
const $ = (id) => document.getElementById(id);

let current = null; // the session's acting_for: null, or {patient_id, name, ended, scopes}
let ownName = '';

/** Switch whose data the health pages show (null: one's own), then go to `next` (default: reload). */
export async function switchTo(patientId, { next = null } = {}) {
  await api.send('POST', ACTING_PATH, { patient_id: patientId || null });
  if (next) window.location.assign(next);
  else window.location.reload();
}

// ---- the switch in the header ------------------------------------------------------------------

function option(label, patientId, chosen) {
  const button = ui.el('button', { type: 'button', class: 'acting-option', 'aria-current': chosen ? 'true' : null },
    ui.el('span', { class: 'acting-check', 'aria-hidden': 'true' }, chosen ? '✓' : ''), label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await switchTo(patientId);
    } catch (err) {
      button.disabled = false;
      if (!err.handled) $('acting-status').textContent = err.message || t('Noe gikk galt. Prøv igjen senere.');
    }
  });
  return ui.el('li', {}, button);
}

async function fillOptions() {
  const list = $('acting-options');
  const status = $('acting-status');
  status.textContent = t('Henter …');
  const chosen = current && current.patient_id;
  const answer = await api.get(RELATIONS_PATH);
  const people = ((answer && answer.items) || []).filter((item) => item.access);
  list.replaceChildren(
    option(t('Meg selv ({name})', { name: ownName }), null, !chosen),
    ...people.map((item) => option(item.name, item.patient_id, item.patient_id === chosen)));
  status.textContent = people.length ? '' : t('Du har ingen andre du kan se opplysningene til.');
}

function setOpen(open, { focusToggle = false } = {}) {
  const toggle = $('acting-toggle');
  const panel = $('acting-panel');
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  panel.hidden = !open;
  if (!open) {
    if (focusToggle) toggle.focus();
    return;
  }
  fillOptions().catch((err) => {
    if (!err.handled) $('acting-status').textContent = err.message || t('Noe gikk galt. Prøv igjen senere.');
  });
}

function wireSwitch() {
  const box = $('acting');
  const toggle = $('acting-toggle');
  toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
      event.preventDefault();
      setOpen(false, { focusToggle: true });
    }
  });
  box.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener('click', (event) => {
    if (!box.contains(event.target) && toggle.getAttribute('aria-expanded') === 'true') setOpen(false);
  });
}

// ---- what the page says about whose data it shows ----------------------------------------------

async function endedName(patientId) {
  try {
    const answer = await api.get(RELATIONS_PATH);
    const item = ((answer && answer.items) || []).find((i) => i.patient_id === patientId);
    return item ? item.name : null;
  } catch {
    return null;
  }
}

async function showEnded({ focus = false } = {}) {
  const section = $('acting-ended');
  if (!section) return;
  $('acting-name').textContent = t('ingen tilgang');
  const name = await endedName(current.patient_id);
  $('acting-ended-text').textContent = name
    ? t('Du har ikke lenger tilgang på vegne av {name}. Gå tilbake til dine egne opplysninger.', { name })
    : t('Du har ikke lenger tilgang på vegne av personen du valgte. Gå tilbake til dine egne opplysninger.');
  $('acting-line').hidden = true;
  section.hidden = false;
  if (focus) $('acting-ended-title').focus();
}

function showLine(shows) {
  const line = $('acting-line');
  if (!line || !current || current.ended) return;
  const name = current.name || '';
  if (shows === 'subject') {
    $('acting-line-text').textContent = t('Du ser nå opplysningene til {name}.', { name });
  } else if (shows === 'own') {
    $('acting-line-text').textContent = t('Denne siden viser dine egne opplysninger, ikke opplysningene til {name}.', { name });
  } else {
    return;
  }
  line.hidden = false;
}

function wireBackButtons() {
  for (const id of ['acting-line-back', 'acting-ended-back']) {
    const button = $(id);
    if (!button) continue;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await switchTo(null); // the same page again, now with one's own data
      } catch (err) {
        button.disabled = false;
        ui.handleError(err);
      }
    });
  }
}

/**
 * Fill the header and the page's line from the session. Returns false when the page must not
 * show its content: a health page while the chosen person's access has ended.
 */
export function setup(session) {
  current = session.acting_for || null;
  ownName = session.display_name || '';
  const mayAct = session.level === 'high';
  $('user-label').hidden = mayAct;
  $('user-name').textContent = ownName;
  const box = $('acting');
  if (!box) return true;
  box.hidden = !mayAct;
  if (!mayAct) return true;
  $('acting-name').textContent = current && !current.ended ? current.name || '' : ownName;
  wireSwitch();
  wireBackButtons();
  // api.js tells us when a request was refused because the relation ended meanwhile.
  document.addEventListener('portal:relation-ended', () => {
    current = { ...(current || {}), ended: true };
    showEnded({ focus: true });
  });
  const shows = document.body.dataset.shows;
  if (current && current.ended) {
    showEnded();
    return shows !== 'subject';
  }
  showLine(shows);
  return true;
}
