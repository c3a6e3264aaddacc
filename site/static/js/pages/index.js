// Forsiden: a visitor who is already logged in gets a link to the overview.

export function init({ session }) {
  document.getElementById('signed-in').hidden = !session.authenticated;
}
