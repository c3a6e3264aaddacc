// Personlige opplysninger (R5): fødselsnummer and nationality read-only; names and e-mail behind
// "Rediger". Only changed fields are sent (PATCH).

import { PROFILE_PATH, wireCancel } from './store.js';

const FIELDS = ['first_name', 'middle_name', 'last_name', 'email'];
const VIEW = {
  national_id: 'pv-national-id',
  nationality: 'pv-nationality',
  first_name: 'pv-first-name',
  middle_name: 'pv-middle-name',
  last_name: 'pv-last-name',
  email: 'pv-email',
};

export function setupPersonal({ api, ui, t }, store) {
  const form = document.getElementById('personal-form');
  const edit = document.getElementById('personal-edit');
  const view = document.getElementById('personal-view');

  function open() {
    for (const name of FIELDS) form.elements.namedItem(name).value = store.profile[name] || '';
    view.hidden = true;
    edit.hidden = true;
    ui.openForm(edit, form);
  }

  function close() {
    view.hidden = false;
    ui.closeForm(edit, form);
  }

  edit.addEventListener('click', open);
  wireCancel(form, close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = ui.readForm(form, FIELDS);
    const changes = {};
    for (const name of FIELDS) {
      if (values[name] !== (store.profile[name] || '')) changes[name] = values[name];
    }
    if (Object.keys(changes).length === 0) {
      close();
      ui.announce(t('Ingen endringer å lagre.'));
      return;
    }
    await store.save(() => api.send('PATCH', PROFILE_PATH, changes), { form, done: close });
  });

  store.onUpdate((profile) => {
    for (const [name, id] of Object.entries(VIEW)) {
      document.getElementById(id).textContent = profile[name] || '–';
    }
  });
}
