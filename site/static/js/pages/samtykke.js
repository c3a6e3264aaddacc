// Samtykke (R10): show the terms' version and status, give consent ("Jeg samtykker"), withdraw it
// through a confirmation dialog ("Trekk tilbake samtykke" → "Bekreft"), and the history.

const CONSENT_PATH = '/api/accounts/consent';
const SAFE_NEXT = /^\/(nb|en)\/[a-z0-9-]+\.html$/;

function isCurrent(consent) {
  return consent.given === true && (!consent.version || consent.version === consent.current_version);
}

export async function init({ api, t, ui, session, formatDateTime }) {
  const $ = (id) => document.getElementById(id);
  const give = $('consent-give');
  const withdraw = $('consent-withdraw');
  const dialog = $('withdraw-dialog');
  const confirm = $('withdraw-confirm');
  const next = new URLSearchParams(window.location.search).get('next');
  let consent = null;

  function statusText(c) {
    if (isCurrent(c) && c.given_at) return t('Du har samtykket ({time}).', { time: formatDateTime(c.given_at) });
    if (isCurrent(c)) return t('Du har samtykket.');
    if (c.given) return t('Du har samtykket til en eldre versjon ({version}). Les de nye vilkårene og samtykk på nytt.', { version: c.version });
    const last = (c.history || [])[0]; // the API lists the history newest first
    if (last && last.action === 'withdrawn') return t('Du har trukket tilbake samtykket. Du kan ikke bruke portalen før du samtykker på nytt.');
    return t('Du har ikke samtykket ennå.');
  }

  function render(c) {
    consent = c;
    $('consent-version').textContent = c.current_version || '';
    const status = $('consent-status');
    status.textContent = statusText(c);
    status.classList.toggle('positive', isCurrent(c));
    give.hidden = isCurrent(c);
    withdraw.hidden = !c.given;
    $('consent-continue').hidden = !isCurrent(c);
    const history = c.history || []; // newest first, as the API sends it
    $('history-rows').replaceChildren(...history.map((h) => ui.el('tr', {},
      ui.el('td', {}, ui.el('time', { datetime: h.at || '' }, formatDateTime(h.at))),
      ui.el('td', {}, h.action === 'withdrawn' ? t('Trukket tilbake') : t('Samtykke gitt')),
      ui.el('td', {}, h.version || ''))));
    $('history-table').hidden = history.length === 0;
    $('history-none').hidden = history.length !== 0;
  }

  give.addEventListener('click', async () => {
    ui.clearPageError();
    give.disabled = true;
    try {
      render(await api.send('POST', CONSENT_PATH, { version: consent.current_version }));
      ui.announce(t('Takk! Samtykket er registrert.'));
      if (next && SAFE_NEXT.test(next) && next !== window.location.pathname) {
        window.location.assign(next);
        return;
      }
      withdraw.focus();
    } catch (err) {
      ui.handleError(err);
    } finally {
      give.disabled = false;
    }
  });

  withdraw.addEventListener('click', () => dialog.showModal());
  $('withdraw-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (!withdraw.hidden) withdraw.focus();
  });

  confirm.addEventListener('click', async () => {
    ui.clearPageError();
    confirm.disabled = true;
    try {
      render(await api.send('DELETE', CONSENT_PATH));
      dialog.close();
      ui.announce(t('Samtykket er trukket tilbake.'));
      give.focus();
    } catch (err) {
      dialog.close();
      ui.handleError(err);
    } finally {
      confirm.disabled = false;
    }
  });

  // Export needs a BankID session; a MinID session is offered the step-up instead of a 403 page.
  if (session.level !== 'high') {
    $('export-link').hidden = true;
    $('export-step-up').hidden = false;
  }

  try {
    render(await api.get(CONSENT_PATH));
  } catch (err) {
    ui.handleError(err);
  }
}
