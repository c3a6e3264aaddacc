// Innboks (R25): the dialogs of the person the header shows, newest first, 20 a page ("Vis flere"
// follows `next`). Unread dialogs are marked; opening one (dialog.html?id=) marks it read.

const INBOX = '/api/dialogs/inbox';

export async function init({ api, t, ui, lang, formatDateTime }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const table = $('inbox-table');
  const rows = $('inbox-rows');
  const more = $('inbox-more');
  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  let cursor = null;
  let shown = 0;

  function row(d) {
    const updated = el('td', {}, el('time', { datetime: d.updated_at || '' }, formatDateTime(d.updated_at)));
    if (d.unread) updated.append(' ', el('span', { class: 'tag tag-unread' }, t('Ulest')));
    const kind = el('td', {}, d.kind_label || '');
    if (d.title && d.title !== d.kind_label) kind.append(el('span', { class: 'muted block' }, d.title));
    const status = el('td', {}, el('span', { class: `status status-${d.status}` }, d.status_label || ''));
    const open = el('a', { href: `/${lang}/dialog.html?id=${encodeURIComponent(d.id)}` }, t('Åpne'),
      el('span', { class: 'visually-hidden' }, ` ${t('{kind} fra {from}, {when}', {
        kind: d.title || d.kind_label || '', from: d.from || '', when: formatDateTime(d.updated_at),
      })}`));
    const cells = [updated, kind, el('td', {}, d.from || ''), status, el('td', {}, open)];
    cells.forEach((cell, i) => {
      cell.setAttribute('role', 'cell');
      if (headings[i]) cell.dataset.label = headings[i];
    });
    return el('tr', { role: 'row', 'data-id': d.id, class: d.unread ? 'is-unread' : '' }, cells);
  }

  async function load() {
    more.disabled = true;
    table.setAttribute('aria-busy', 'true');
    try {
      const page = await api.get(cursor ? `${INBOX}?cursor=${encodeURIComponent(cursor)}` : INBOX);
      const items = (page && page.dialogs) || [];
      const added = items.map(row);
      rows.append(...added);
      shown += items.length;
      cursor = (page && page.next) || null;
      table.hidden = shown === 0;
      $('inbox-empty').hidden = shown !== 0;
      more.hidden = !cursor;
      return added;
    } finally {
      $('inbox-loading').hidden = true;
      more.disabled = false;
      table.setAttribute('aria-busy', 'false');
    }
  }

  more.addEventListener('click', async () => {
    ui.clearPageError();
    try {
      const added = await load();
      ui.announce(t('Viser {count} meldinger.', { count: shown }));
      if (!cursor && added.length) {
        const link = added[0].querySelector('a');
        if (link) link.focus();
      }
    } catch (err) {
      ui.handleError(err);
    }
  });

  try {
    await load();
  } catch (err) {
    ui.handleError(err);
  }
}
