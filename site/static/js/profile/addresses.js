// Adresser (R6): existing addresses cannot be edited; "Legg til" opens a form for a new one.

import { wireCancel } from './store.js';

const ADDRESSES_PATH = '/api/accounts/profile/addresses';
const FIELDS = ['street', 'postal_code', 'city'];

export function formatAddress(address) {
  return `${address.street}, ${address.postal_code} ${address.city}`;
}

export function setupAddresses({ api, ui }, store) {
  const form = document.getElementById('address-form');
  const toggle = document.getElementById('address-add');
  const list = document.getElementById('address-list');
  const none = document.getElementById('address-none');
  const close = () => ui.closeForm(toggle, form);

  toggle.addEventListener('click', () => (form.hidden ? ui.openForm(toggle, form) : close()));
  wireCancel(form, close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = ui.readForm(form, FIELDS);
    await store.save(() => api.send('POST', ADDRESSES_PATH, body), { form, done: close });
  });

  store.onUpdate((profile) => {
    const addresses = profile.addresses || [];
    list.replaceChildren(...addresses.map((a) => ui.el('li', {}, formatAddress(a))));
    list.hidden = addresses.length === 0;
    none.hidden = addresses.length !== 0;
  });
}
