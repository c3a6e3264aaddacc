// Relasjoner (R35-R37): the patient's relations (GET /api/accounts/relations): who, what relation,
// Tilgang (ja, til <dato> / nei); "Se som <navn>" switches the header's acting-for and goes to the
// overview; Fjern (a confirmation dialog, DELETE) from either side; Gi fullmakt (fødselsnummer, fra, til).

import { switchTo } from '../acting.js';
import { formatDate } from '../i18n.js';

const PATH = '/api/accounts/relations';
const FIVE_YEARS_DAYS = 366 * 5; // the longest fullmakt the portal takes

/** Today in Europe/Oslo as yyyy-mm-dd, by the portal's clock when the session gave it. */
function osloToday(serverTime) {
  const when = serverTime ? new Date(serverTime) : new Date();
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(Number.isNaN(when.getTime()) ? new Date() : when);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function daysBetween(from, until) {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

export async function init({ api, t, ui, lang, session }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const list = $('relations-list');
  const loading = $('relations-loading');
  const empty = $('relations-empty');
  const heading = $('relations-title');
  const today = osloToday(session && session.server_time);
  const actingId = session && session.acting_for ? session.acting_for.patient_id : null;

  const kinds = {
    barn: t('Barn'),
    foreldre: t('Forelder'),
    fullmakt_mottatt: t('Fullmakt (du har fått)'),
    fullmakt_gitt: t('Fullmakt (du har gitt)'),
  };

  function access(item) {
    if (!item.access) return t('Nei');
    return item.access_until ? t('Ja, til {date}', { date: formatDate(item.access_until) }) : t('Ja');
  }

  function fact(label, value) {
    return el('div', { class: 'relation-fact' }, el('dt', {}, label), el('dd', {}, value));
  }

  function row(item) {
    const actions = el('div', { class: 'relation-actions' });
    if (item.access) {
      const see = el('button', { type: 'button', class: 'button button-small' }, t('Se som {name}', { name: item.name }));
      see.addEventListener('click', async () => {
        see.disabled = true;
        ui.clearPageError();
        try {
          await switchTo(item.patient_id, { next: `/${lang}/oversikt.html` });
        } catch (err) {
          see.disabled = false;
          ui.handleError(err);
        }
      });
      actions.append(see);
    }
    const remove = el('button', { type: 'button', class: 'button button-danger button-small', 'data-patient': item.patient_id },
      t('Fjern'), el('span', { class: 'visually-hidden' }, ` ${t('relasjonen til {name}', { name: item.name })}`));
    remove.addEventListener('click', () => openRemove(item, remove));
    actions.append(remove);
    let theirs = null;
    if (item.their_access) {
      theirs = el('p', { class: 'hint' }, item.access_until && !item.access
        ? t('{name} kan se opplysningene dine til {date}.', { name: item.name, date: formatDate(item.access_until) })
        : t('{name} kan se opplysningene dine.', { name: item.name }));
    }
    return el('li', { class: 'relation' },
      el('h3', { class: 'relation-name' }, item.name || t('Uten navn')),
      el('dl', { class: 'relation-facts' }, fact(t('Relasjon'), kinds[item.relation] || item.relation),
        fact(t('Tilgang'), access(item))),
      theirs,
      actions);
  }

  function render(items) {
    list.replaceChildren(...items.map(row));
    list.hidden = items.length === 0;
    empty.hidden = items.length !== 0;
  }

  async function load() {
    try {
      const answer = await api.get(PATH);
      render((answer && answer.items) || []);
    } finally {
      loading.hidden = true;
    }
  }

  // ---- Fjern -------------------------------------------------------------------------------------

  const dialog = $('remove-dialog');
  const confirm = $('remove-confirm');
  let removing = null; // {item, button}

  function removeText(item) {
    const name = item.name;
    if (item.access && item.their_access) {
      return t('Dere kan ikke lenger se hverandres opplysninger i portalen.');
    }
    if (item.access) return t('Du kan ikke lenger se opplysningene til {name} i portalen.', { name });
    if (item.their_access) return t('{name} kan ikke lenger se opplysningene dine i portalen.', { name });
    return t('{name} fjernes fra relasjonene dine.', { name });
  }

  function openRemove(item, button) {
    ui.clearPageError();
    removing = { item, button };
    $('remove-title').textContent = t('Vil du fjerne relasjonen til {name}?', { name: item.name });
    $('remove-text').textContent = removeText(item);
    dialog.showModal();
  }

  $('remove-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (removing && removing.button.isConnected) removing.button.focus();
  });

  confirm.addEventListener('click', async () => {
    if (!removing) return;
    const { item } = removing;
    confirm.disabled = true;
    try {
      const answer = await api.send('DELETE', `${PATH}/${encodeURIComponent(item.patient_id)}`);
      render((answer && answer.items) || []);
      removing = null;
      dialog.close();
      heading.focus();
      ui.announce(t('Relasjonen til {name} er fjernet.', { name: item.name }));
      // The person the header's switch had chosen: the access is gone, acting.js says so.
      if (item.patient_id === actingId) document.dispatchEvent(new CustomEvent('portal:relation-ended'));
    } catch (err) {
      dialog.close();
      ui.handleError(err);
      if (!err.handled && err.status === 404) load();
    } finally {
      confirm.disabled = false;
    }
  });

  // ---- Gi fullmakt -------------------------------------------------------------------------------

  const form = $('fullmakt-form');
  const fromInput = $('fullmakt-from');
  fromInput.value = today;
  fromInput.min = today;
  $('fullmakt-until').min = today;

  function checkForm(values) {
    if (!/^\d{11}$/.test(values.national_id)) return ['national_id', t('Fødselsnummeret må ha 11 siffer.')];
    if (!values.valid_from) return ['valid_from', t('Velg datoen fullmakten gjelder fra.')];
    if (!values.valid_until) return ['valid_until', t('Velg datoen fullmakten gjelder til.')];
    if (values.valid_until < values.valid_from) return ['valid_until', t('Til-datoen kan ikke være før fra-datoen.')];
    if (values.valid_until < today) return ['valid_until', t('Til-datoen er passert.')];
    if (daysBetween(values.valid_from, values.valid_until) > FIVE_YEARS_DAYS) {
      return ['valid_until', t('En fullmakt kan gjelde i høyst fem år.')];
    }
    return null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ui.clearErrors(form);
    ui.clearPageError();
    const values = ui.readForm(form, ['national_id', 'valid_from', 'valid_until']);
    values.national_id = values.national_id.replace(/\s+/g, '');
    const problem = checkForm(values);
    if (problem) {
      ui.showFieldError(form, problem[0], problem[1]);
      return;
    }
    ui.setBusy(form, true);
    try {
      const item = await api.send('POST', `${PATH}/fullmakt`, values);
      form.reset();
      fromInput.value = today;
      ui.announce(t('{name} har fått fullmakt til {date}.', { name: item.name, date: formatDate(values.valid_until) }));
      await load();
    } catch (err) {
      ui.handleError(err, { form });
    } finally {
      ui.setBusy(form, false);
    }
  });

  return load().catch((err) => ui.handleError(err));
}
