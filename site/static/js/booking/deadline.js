// The clinic's cancel deadline (cancel_deadline_hours, 0: none): a time that starts inside it cannot
// be cancelled or moved online once booked, so Bestill konsultasjon and the Flytt dialog say so
// before Bekreft, by the server's clock.

import { now } from './time.js';

/** The warning for a time starting at `start` (ISO) at `clinic`, or null when it is outside. */
export function deadlineWarning(t, clinic, start) {
  const hours = Number(clinic && clinic.cancel_deadline_hours) > 0 ? Number(clinic.cancel_deadline_hours) : 0;
  if (!hours || !start || Date.parse(start) - now().getTime() >= hours * 3600 * 1000) return null;
  const deadline = hours === 1 ? t('1 time') : t('{hours} timer', { hours });
  const phone = clinic.phone_display || clinic.phone;
  return phone
    ? t('Timen begynner om mindre enn {deadline}. Klinikken lar deg bare avbestille eller flytte på nett fram til {deadline} før timen. Etter at du har bekreftet, må du ringe klinikken for å avbestille eller flytte den: {phone}.', { deadline, phone })
    : t('Timen begynner om mindre enn {deadline}. Klinikken lar deg bare avbestille eller flytte på nett fram til {deadline} før timen. Etter at du har bekreftet, må du ringe klinikken for å avbestille eller flytte den.', { deadline });
}
