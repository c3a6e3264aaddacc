// "Gi meg beskjed om en tidligere time" on Mine konsultasjoner: the wish on a booked Timebok
// appointment (PUT/DELETE /api/booking/appointments/<id>/waitlist, optionally only some weekdays
// or before a day), and the offer a waitlist notice links to (?flytt=<appointment>&til=<time>):
// "Flytt til denne tiden", which moves the appointment with the ordinary move (first one wins).

import { longDate, osloDate, osloTime } from './time.js';

const LIST_PATH = '/api/booking/appointments';

/** The start of a slot id `<timebok>~<UTC start>` (an overbooking's suffix is never offered). */
function startOf(slotId) {
  const parts = String(slotId || '').split('~');
  return parts.length === 2 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(parts[1]) ? parts[1] : null;
}

export function createWaitlist({ api, t, ui, say, reload, whenLong, whenShort }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const waitDialog = $('wait-dialog');
  const waitForm = $('wait-form');
  const offerDialog = $('offer-dialog');
  let waiting = null; // {a, button}
  let offered = null; // {a, slotId, start}

  function button(label, name, className, onClick) {
    const b = el('button', { type: 'button', class: `button button-small ${className}`, 'aria-label': name }, label);
    b.addEventListener('click', () => onClick(b));
    return b;
  }

  /** The actions of one appointment row. */
  function actions(a) {
    const when = whenShort(a);
    if (a.waitlist) {
      return [
        el('p', { class: 'hint waitlist-info' }, t('Du får beskjed hvis en tidligere time blir ledig.')),
        button(t('Avslutt venteliste'), t('Avslutt venteliste for timen {when}', { when }), 'button-secondary',
          (b) => stop(a, b)),
      ];
    }
    if (!a.can_wait) return [];
    return [button(t('Gi meg beskjed om en tidligere time'),
      t('Gi meg beskjed om en tidligere time enn {when}', { when }), 'button-secondary', (b) => openWait(a, b))];
  }

  // ---- the wish ---------------------------------------------------------------------------------

  function openWait(a, opener) {
    ui.clearPageError();
    ui.clearErrors(waitForm);
    waiting = { a, button: opener };
    $('wait-text').textContent = t('Timen din nå: {when} hos {clinic}. Vi sender deg en e-post eller SMS når en tidligere time i samme timebok blir ledig. Den som først tar den, får den.', {
      when: whenLong(a), clinic: (a.clinic && a.clinic.name) || '',
    });
    for (const box of waitForm.querySelectorAll('input[name="weekdays"]')) box.checked = false;
    $('wait-before').value = '';
    $('wait-before').max = osloDate(a.start);
    waitDialog.showModal();
  }

  $('wait-close').addEventListener('click', () => waitDialog.close());
  waitDialog.addEventListener('close', () => {
    if (waiting && waiting.button.isConnected && waiting.button.dataset.done !== '1') waiting.button.focus();
  });

  waitForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!waiting) return;
    ui.clearErrors(waitForm);
    const weekdays = [...waitForm.querySelectorAll('input[name="weekdays"]:checked')].map((box) => Number(box.value));
    const before = $('wait-before').value || null;
    const save = $('wait-confirm');
    save.disabled = true;
    try {
      await api.send('PUT', `${LIST_PATH}/${encodeURIComponent(waiting.a.id)}/waitlist`, { weekdays, before });
      waiting.button.dataset.done = '1';
      waitDialog.close();
      say(t('Du står på venteliste for en tidligere time enn {when}.', { when: whenShort(waiting.a) }));
      await reload(null);
    } catch (err) {
      if (err.handled) waitDialog.close();
      else ui.handleError(err, { form: waitForm, fallback: $('wait-days') });
    } finally {
      save.disabled = false;
    }
  });

  async function stop(a, opener) {
    ui.clearPageError();
    opener.disabled = true;
    try {
      await api.send('DELETE', `${LIST_PATH}/${encodeURIComponent(a.id)}/waitlist`);
      say(t('Du står ikke lenger på venteliste for timen {when}.', { when: whenShort(a) }));
      await reload(null);
    } catch (err) {
      ui.handleError(err);
      opener.disabled = false;
    }
  }

  // ---- the offer (from a waitlist notice) ---------------------------------------------------------

  /** ?flytt=<id>&til=<slot>: show "Flytt til denne tiden" for one of the listed appointments. */
  function offer(params, listed) {
    const a = listed.find((item) => item.id === params.get('flytt'));
    const start = startOf(params.get('til'));
    if (!params.get('flytt')) return;
    if (!a || !start || !a.can_move) {
      ui.showPageError(t('Denne timen kan ikke lenger flyttes på nett. Se timene dine nedenfor.'));
      return;
    }
    offered = { a, slotId: params.get('til'), start };
    $('offer-text').textContent = t('Ledig time: {when} hos {clinic}. Timen din nå: {now}.', {
      when: t('{date} kl. {time}', { date: longDate(osloDate(start)), time: osloTime(start) }),
      clinic: (a.clinic && a.clinic.name) || '', now: whenLong(a),
    });
    $('offer-error').hidden = true;
    offerDialog.showModal();
  }

  function forgetOffer() {
    const url = new URL(window.location.href);
    url.searchParams.delete('flytt');
    url.searchParams.delete('til');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  $('offer-close').addEventListener('click', () => offerDialog.close());
  offerDialog.addEventListener('close', forgetOffer);

  $('offer-confirm').addEventListener('click', async () => {
    if (!offered) return;
    const confirm = $('offer-confirm');
    confirm.disabled = true;
    try {
      const moved = await api.send('POST', `${LIST_PATH}/${encodeURIComponent(offered.a.id)}/move`,
        { slot_id: offered.slotId }, { headers: { 'Idempotency-Key': api.newIdempotencyKey() } });
      offerDialog.close();
      say(t('Timen er flyttet til {when}.', { when: whenShort(moved && moved.start ? moved : { ...offered.a, start: offered.start }) }));
      await reload(null);
    } catch (err) {
      if (err.handled) {
        offerDialog.close();
      } else {
        // Someone else took it first (slot_taken), or the deadline passed: the server says which.
        const box = $('offer-error');
        box.textContent = err.message || t('Timen kunne ikke flyttes.');
        box.hidden = false;
        box.focus();
      }
    } finally {
      confirm.disabled = false;
    }
  });

  return { actions, offer };
}
