// Oversikt: greeting by name; a MinID (substantial) session is told health services need BankID,
// and sees the booking tiles only at level high.

export function init({ session, t }) {
  const greeting = document.getElementById('greeting');
  greeting.textContent = session.display_name
    ? t('Hei, {name}!', { name: session.display_name })
    : t('Hei!');
  document.getElementById('level-notice').hidden = session.level === 'high';
  // Health services (Mine konsultasjoner, Bestill konsultasjon) need BankID: tiles only at level high.
  for (const tile of document.querySelectorAll('[data-level-high]')) tile.hidden = session.level !== 'high';
}
