// The clinic chooser of Bestill konsultasjon, Start helsehjelp and the message forms
// (templates/partials/clinic_picker.html): the patient's clinics (GET /api/booking/clinics: attached
// first) and a search by name or place. `onChoose(clinicId, clinic)` runs when a clinic is chosen;
// the first one (or `want`) is chosen at start. `describe(clinic)` gives the text under a clinic's
// name (its place unless told); `onList(answer)` sees the first answer (e.g. for its server time).

const CLINICS = '/api/booking/clinics';

function placeOf(clinic) {
  return clinic.place || '';
}

export function clinicPicker({ api, t, ui, want = null, onChoose, describe = placeOf, onList = null }) {
  const $ = (id) => document.getElementById(id);
  const { el } = ui;
  const searchInput = $('clinic-search');
  const state = { attached: [], results: [], chosen: null, chosenClinic: null };
  let searchSequence = 0;
  let searchTimer = null;

  function choice(clinic, prefix, index) {
    const id = `clinic-${prefix}-${index}`;
    const input = el('input', { type: 'radio', id, name: 'clinic_id', value: clinic.id });
    input.checked = state.chosen === clinic.id;
    input.addEventListener('change', () => { if (input.checked) choose(clinic); });
    const description = describe(clinic);
    const children = [input, el('label', { for: id }, clinic.name || clinic.id)];
    if (description) {
      input.setAttribute('aria-describedby', `${id}-desc`);
      children.push(el('span', { class: 'choice-desc', id: `${id}-desc` }, description));
    }
    return el('div', { class: 'choice choice-card' }, children);
  }

  function render() {
    const attachedIds = new Set(state.attached.map((c) => c.id));
    $('clinic-attached').replaceChildren(...state.attached.map((c, i) => choice(c, 'attached', i)));
    $('clinic-group').hidden = state.attached.length === 0;
    $('clinic-none').hidden = state.attached.length !== 0;
    const shown = state.results.filter((c) => !attachedIds.has(c.id));
    // A clinic chosen from an earlier search stays visible (and checked) after a new search.
    const chosen = state.chosenClinic;
    if (chosen && !attachedIds.has(chosen.id) && !shown.some((c) => c.id === chosen.id)) shown.unshift(chosen);
    $('clinic-results').replaceChildren(...shown.map((c, i) => choice(c, 'result', i)));
    $('clinic-results-group').hidden = shown.length === 0;
  }

  function choose(clinic) {
    state.chosen = clinic.id;
    state.chosenClinic = clinic;
    for (const radio of document.querySelectorAll('input[name="clinic_id"]')) radio.checked = radio.value === clinic.id;
    return onChoose(clinic.id, clinic);
  }

  async function search() {
    clearTimeout(searchTimer);
    const q = searchInput.value.trim();
    const status = $('clinic-search-status');
    if (!q) {
      status.textContent = t('Skriv navn eller sted for å søke.');
      return;
    }
    const mine = ++searchSequence;
    status.textContent = t('Søker …');
    try {
      const answer = await api.get(`${CLINICS}?q=${encodeURIComponent(q)}`);
      if (mine !== searchSequence) return;
      state.results = (answer && answer.results) || [];
      render();
      const count = state.results.length;
      if (count === 0) status.textContent = t('Fant ingen klinikker.');
      else if (count === 1) status.textContent = t('Fant 1 klinikk.');
      else status.textContent = t('Fant {count} klinikker.', { count });
    } catch (err) {
      if (mine !== searchSequence) return;
      status.textContent = '';
      ui.handleError(err, { fallback: searchInput });
    }
  }

  searchInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      search();
    }
  });
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    if (searchInput.value.trim().length >= 2) searchTimer = setTimeout(search, 400);
  });
  $('clinic-search-button').addEventListener('click', search);

  async function start() {
    try {
      const answer = await api.get(CLINICS);
      if (onList) onList(answer);
      state.attached = (answer && answer.attached) || [];
      state.results = (answer && answer.results) || [];
      const all = [...state.attached, ...state.results];
      const first = (want && all.find((c) => c.id === want)) || (want ? { id: want, name: want } : null)
        || state.attached[0] || null;
      state.chosen = first ? first.id : null;
      state.chosenClinic = first;
      render();
      if (first) await choose(first);
    } catch (err) {
      ui.handleError(err);
    } finally {
      $('clinic-loading').hidden = true;
    }
  }

  return { start, rename(clinic) {
    // What a later answer says of a clinic (one given in the address had only its id): its name,
    // place and modes, shown at once.
    const known = [...state.attached, ...state.results, state.chosenClinic].filter((c) => c && c.id === clinic.id);
    for (const item of known) Object.assign(item, clinic);
    if (known.length) render();
  } };
}
