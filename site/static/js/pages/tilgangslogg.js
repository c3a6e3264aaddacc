// Hvem har sett mine opplysninger (R55): the access log, newest first, paged with next_cursor.

const LOG_PATH = '/api/accounts/access-log';

export function init({ api, t, ui, formatDateTime }) {
  const table = document.getElementById('log-table');
  const rows = document.getElementById('log-rows');
  const more = document.getElementById('log-more');
  const loading = document.getElementById('log-loading');
  const empty = document.getElementById('log-empty');
  const kinds = {
    staff: t('Helsepersonell'),
    clinic: t('Klinikk'),
    parent: t('Forelder'),
    representative: t('Representant'),
    integration: t('Integrasjon'),
    job: t('Automatisk jobb'),
    patient: t('Deg selv'),
  };
  let cursor = null;
  let shown = 0;

  function row(item) {
    const kind = kinds[item.actor_kind];
    const who = ui.el('td', {}, item.actor_name || kind || '');
    if (kind && item.actor_name) who.append(ui.el('span', { class: 'muted block' }, kind));
    return ui.el('tr', {},
      ui.el('td', {}, ui.el('time', { datetime: item.at || '' }, formatDateTime(item.at))),
      who,
      ui.el('td', {}, item.clinic_name || ''),
      ui.el('td', {}, item.what || ''),
      ui.el('td', {}, item.why || ''));
  }

  async function load() {
    more.disabled = true;
    table.setAttribute('aria-busy', 'true');
    try {
      const path = cursor ? `${LOG_PATH}?cursor=${encodeURIComponent(cursor)}` : LOG_PATH;
      const page = await api.get(path);
      const items = (page && page.items) || [];
      const added = items.map(row);
      rows.append(...added);
      shown += items.length;
      cursor = (page && page.next_cursor) || null;
      table.hidden = shown === 0;
      empty.hidden = shown !== 0;
      more.hidden = !cursor;
      return added;
    } finally {
      loading.hidden = true;
      more.disabled = false;
      table.setAttribute('aria-busy', 'false');
    }
  }

  more.addEventListener('click', async () => {
    ui.clearPageError();
    try {
      const added = await load();
      ui.announce(t('Viser {count} oppføringer.', { count: shown }));
      if (!cursor && added.length) {
        // The button is gone: keep keyboard focus near where it was, on the first new row.
        const cell = added[0].querySelector('td');
        cell.setAttribute('tabindex', '-1');
        cell.focus();
      }
    } catch (err) {
      ui.handleError(err);
    }
  });

  return load().catch((err) => ui.handleError(err));
}
