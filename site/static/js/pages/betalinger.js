// Mine betalinger (R32–R33): tabs Utestående / Betalt i år / Alt betalt (an ARIA tablist, arrow
// keys) over GET /api/payments/list?tab=…, 20 a page ("Vis flere" follows `next`), a table (Dato,
// Klinikk, Betaling, Status, Fakturanummer, Betalt, Handlinger). Handlinger: Last ned kvittering /
// Last ned faktura (the PDF, through the API's ownership check) and, on an open invoice,
// Spørsmål om faktura (skriv.html with that invoice chosen; dialogs is linked by URL only).
// Acting for a child under 12 the rows are the child's (the session decides; nothing in the URL).

const LIST_PATH = '/api/payments/list';
const TABS = ['utestaende', 'betalt-i-aar', 'alt-betalt'];

export async function init({ api, t, ui, lang }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;

  const tabs = [...document.querySelectorAll('#payment-tabs [role="tab"]')];
  const panel = $('payments-panel');
  const table = $('payments-table');
  const rows = $('payments-rows');
  const loading = $('payments-loading');
  const empty = $('payments-empty');
  const hint = $('payments-hint');
  const more = $('payments-more');
  const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());

  const captions = {
    utestaende: t('Utestående fakturaer'),
    'betalt-i-aar': t('Betalt i år'),
    'alt-betalt': t('Alt betalt'),
  };
  const hints = {
    utestaende: t('Utestående fakturaer fra klinikken.'),
    'betalt-i-aar': t('Alt du har betalt til klinikker i inneværende år.'),
    'alt-betalt': t('Alt du har betalt til klinikker.'),
  };
  const empties = {
    utestaende: t('Du har ingen utestående fakturaer.'),
    'betalt-i-aar': t('Du har ikke betalt noe i år.'),
    'alt-betalt': t('Du har ingen betalinger ennå.'),
  };

  const params = new URLSearchParams(window.location.search);
  let tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'utestaende';
  let cursor = null;
  let sequence = 0;

  // ---- Tabs ------------------------------------------------------------------------------------

  function selectTab(name, { focus = false } = {}) {
    tab = name;
    for (const button of tabs) {
      const on = button.dataset.tab === name;
      button.setAttribute('aria-selected', on ? 'true' : 'false');
      button.tabIndex = on ? 0 : -1;
      if (on) {
        panel.setAttribute('aria-labelledby', button.id);
        if (focus) button.focus();
      }
    }
    const url = new URL(window.location.href);
    if (name === 'utestaende') url.searchParams.delete('tab');
    else url.searchParams.set('tab', name);
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return load();
  }

  for (const button of tabs) {
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-selected') !== 'true') selectTab(button.dataset.tab);
    });
    button.addEventListener('keydown', (event) => {
      const index = tabs.indexOf(button);
      let target = null;
      if (event.key === 'ArrowRight') target = tabs[(index + 1) % tabs.length];
      else if (event.key === 'ArrowLeft') target = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') target = tabs[0];
      else if (event.key === 'End') target = tabs[tabs.length - 1];
      if (!target) return;
      event.preventDefault();
      selectTab(target.dataset.tab, { focus: true });
    });
  }

  // ---- The table (on narrow screens each row is a card: data-label names the column) -----------

  function actions(p) {
    const which = p.number || p.date_display || '';
    const items = [el('a', {
      class: 'button button-small button-secondary', href: p.pdf_url, download: true, 'data-action': 'pdf',
    }, p.pdf_label || '', el('span', { class: 'visually-hidden' }, ` ${which}`))];
    if (p.question_url) {
      items.push(el('a', { class: 'button button-small button-secondary', href: `/${lang}/${p.question_url}`, 'data-action': 'question' },
        t('Spørsmål om faktura'), el('span', { class: 'visually-hidden' }, ` ${which}`)));
    }
    return el('div', { class: 'row-actions' }, items);
  }

  function row(p) {
    const open = p.status === 'open';
    const number = el('td', {}, p.number || '');
    if (open && p.kid) number.append(el('span', { class: 'muted block' }, t('KID {kid}', { kid: p.kid })));
    const paid = el('td', {}, open ? t('Å betale {amount}', { amount: p.total_display || '' }) : (p.paid_display || ''));
    if (open && p.due) {
      paid.append(el('span', { class: 'muted block' }, t('Forfall {date}', { date: p.due.split('-').reverse().join('.') })));
    }
    const cells = [
      el('td', {}, el('time', { datetime: p.date || '' }, p.date_display || '')),
      el('td', {}, p.clinic_display || ''),
      el('td', {}, p.method_label || ''),
      el('td', {}, el('span', { class: `status status-${p.status || 'unknown'}` }, p.status_label || '')),
      number,
      paid,
      el('td', {}, actions(p)),
    ];
    cells.forEach((cell, i) => {
      cell.setAttribute('role', 'cell');
      if (headings[i]) cell.dataset.label = headings[i];
    });
    return el('tr', { role: 'row', 'data-id': p.id }, cells);
  }

  async function load({ append = false } = {}) {
    const mine = ++sequence;
    if (!append) cursor = null;
    $('payments-caption').textContent = captions[tab];
    hint.textContent = hints[tab];
    table.setAttribute('aria-busy', 'true');
    more.disabled = true;
    if (!append) {
      loading.hidden = false;
      empty.hidden = true;
    }
    try {
      const query = new URLSearchParams({ tab });
      if (append && cursor) query.set('cursor', cursor);
      const answer = await api.get(`${LIST_PATH}?${query}`);
      if (mine !== sequence) return [];
      const built = ((answer && answer.payments) || []).map(row);
      if (append) rows.append(...built);
      else rows.replaceChildren(...built);
      cursor = (answer && answer.next) || null;
      const shown = rows.children.length;
      table.hidden = shown === 0;
      empty.textContent = empties[tab];
      empty.hidden = shown !== 0;
      more.hidden = !cursor;
      return built;
    } catch (err) {
      if (mine !== sequence) return [];
      if (!append) {
        rows.replaceChildren();
        table.hidden = true;
        more.hidden = true;
      }
      ui.handleError(err);
      return [];
    } finally {
      if (mine === sequence) {
        loading.hidden = true;
        more.disabled = false;
        table.setAttribute('aria-busy', 'false');
      }
    }
  }

  more.addEventListener('click', async () => {
    ui.clearPageError();
    const added = await load({ append: true });
    if (!added.length) return;
    ui.announce(t('Viser {count} betalinger.', { count: rows.children.length }));
    if (!cursor) {
      const link = added[0].querySelector('a');
      if (link) link.focus();
    }
  });

  await selectTab(tab);
}
