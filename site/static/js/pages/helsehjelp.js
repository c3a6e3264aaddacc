// Start helsehjelp (R34): for the chosen clinic, the shortcuts it has enabled, from
// GET /api/dialogs/clinics/<id>/start: Bestill videokonsultasjon, Bestill ny konsultasjon, Åpne
// nettside and the message kinds the clinic lets patients start (skriv.html?type=&clinic=).

import { clinicPicker } from '../clinics.js';
import { kindTexts } from '../dialogs/kinds.js';

export async function init({ api, t, ui, lang }) {
  const { el } = ui;
  const list = document.getElementById('service-list');
  const section = document.getElementById('services');
  const loading = document.getElementById('services-loading');
  const params = new URLSearchParams(window.location.search);
  const kinds = kindTexts(t);
  let sequence = 0;

  function tile(href, label, text, extra = {}) {
    return el('li', { class: 'tile' }, el('a', { href, ...extra }, label), el('p', {}, text));
  }

  function tiles(options) {
    const clinic = options.clinic;
    const id = encodeURIComponent(clinic.id);
    const items = [];
    if (clinic.video) {
      items.push(tile(`/${lang}/bestill.html?clinic=${id}&video=1`, t('Bestill videokonsultasjon'),
        t('Bestill en videokonsultasjon med behandleren din.')));
    }
    items.push(tile(`/${lang}/bestill.html?clinic=${id}`, t('Bestill ny konsultasjon'), t('Bestill en ny time hos klinikken.')));
    if (clinic.website) {
      items.push(tile(clinic.website, t('Åpne nettside'), t('Åpner nettsiden til {clinic} i en ny fane.', { clinic: clinic.name }),
        { target: '_blank', rel: 'noopener noreferrer' }));
    }
    for (const kind of options.kinds || []) {
      if (kind === 'ekonsultasjon' && !(options.recipients || []).length) continue;
      const texts = kinds[kind];
      if (!texts) continue;
      items.push(tile(`/${lang}/skriv.html?type=${kind}&clinic=${id}`, texts.start, texts.about));
    }
    return items;
  }

  async function show(clinicId) {
    const mine = ++sequence;
    ui.clearPageError();
    section.hidden = false;
    loading.hidden = false;
    list.replaceChildren();
    try {
      const options = await api.get(`/api/dialogs/clinics/${encodeURIComponent(clinicId)}/start`);
      if (mine !== sequence) return;
      picker.rename(options.clinic);
      document.getElementById('services-title').textContent = t('Tjenester hos {clinic}', { clinic: options.clinic.name });
      list.replaceChildren(...tiles(options));
    } catch (err) {
      if (mine !== sequence) return;
      section.hidden = true;
      ui.handleError(err);
    } finally {
      if (mine === sequence) loading.hidden = true;
    }
  }

  const picker = clinicPicker({ api, t, ui, want: params.get('clinic'), onChoose: show });
  await picker.start();
}
