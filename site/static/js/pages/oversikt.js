// Oversikt: greeting by name; a MinID (substantial) session is told health services need BankID.

export function init({ session, t }) {
  const greeting = document.getElementById('greeting');
  greeting.textContent = session.display_name
    ? t('Hei, {name}!', { name: session.display_name })
    : t('Hei!');
  document.getElementById('level-notice').hidden = session.level === 'high';
}
