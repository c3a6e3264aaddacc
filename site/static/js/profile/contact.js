// Kontaktinnstillinger (R9): channel (E-post / SMS) and drop-downs of the registered phone numbers
// and addresses, saved as soon as they change; the "Legg til" links open the add forms.

import { formatAddress } from './addresses.js';

const CONTACT_PATH = '/api/accounts/profile/contact';

function fillSelect(select, items, label, selected, el, none) {
  select.replaceChildren(el('option', { value: '' }, none), ...items.map((item) => el('option', { value: item.id }, label(item))));
  select.value = items.some((item) => item.id === selected) ? selected : '';
}

export function setupContact({ api, ui, t }, store) {
  const form = document.getElementById('contact-form');
  const phone = document.getElementById('contact-phone');
  const address = document.getElementById('contact-address');
  let dirty = false; // the user changed something not yet saved: re-renders keep their choice

  for (const link of form.querySelectorAll('a[data-opens]')) {
    link.addEventListener('click', (event) => {
      const toggle = document.getElementById(link.dataset.opens);
      if (!toggle) return;
      event.preventDefault();
      const target = document.getElementById(toggle.getAttribute('aria-controls'));
      if (target && target.hidden) toggle.click();
      else if (target) target.querySelector('input').focus();
    });
  }

  function channelValue() {
    const checked = form.querySelector('input[name="channel"]:checked');
    return checked ? checked.value : null;
  }

  // Each choice is saved at once (no change of context: the page stays, "Lagret" is announced).
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', async () => {
    dirty = true;
    const body = { channel: channelValue(), phone_id: phone.value || null, address_id: address.value || null };
    await store.save(() => api.send('PUT', CONTACT_PATH, body), { form, done: () => { dirty = false; } });
  });

  store.onUpdate((profile) => {
    const saved = profile.contact || {};
    const current = dirty ? { channel: channelValue(), phone_id: phone.value, address_id: address.value } : saved;
    fillSelect(phone, profile.phones || [], (p) => p.display || p.number, current.phone_id, ui.el, t('Ingen valgt'));
    fillSelect(address, profile.addresses || [], formatAddress, current.address_id, ui.el, t('Ingen valgt'));
    for (const radio of form.querySelectorAll('input[name="channel"]')) radio.checked = radio.value === current.channel;
  });
}
