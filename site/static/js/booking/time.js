// Dates and times for booking, always in Europe/Oslo (docs/booking.md: the API speaks UTC ISO
// times; calendar dates are 'YYYY-MM-DD' and months 'YYYY-MM' as the clinic sees them in Oslo).
//
// "Now" is the server's clock when the API tells it (the session's `server_time`, or a booking
// answer's `server_time`/`now`): the portal clock decides what is past, not the visitor's computer.
// Without it the browser's clock is used.

import { lang } from '../i18n.js';

export const ZONE = 'Europe/Oslo';
const locale = lang === 'nb' ? 'nb-NO' : 'en-GB';

let offsetMs = 0;

/** Remember the server's time (an ISO string); later calls to now() follow the server's clock. */
export function setServerTime(iso) {
  if (typeof iso !== 'string' || !iso) return;
  const ms = Date.parse(iso);
  if (!Number.isNaN(ms)) offsetMs = ms - Date.now();
}

/** Pick up a server time from an API answer, if it carries one. */
export function learnServerTime(answer) {
  if (answer && typeof answer === 'object') setServerTime(answer.server_time || answer.now);
}

export function now() {
  return new Date(Date.now() + offsetMs);
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function toDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** {year, month, day, hour, minute} (strings, zero-padded) of a moment in Oslo. */
export function osloParts(value) {
  const date = toDate(value);
  if (!date) return null;
  const parts = {};
  for (const part of partsFormat.formatToParts(date)) parts[part.type] = part.value;
  if (parts.hour === '24') parts.hour = '00';
  return parts;
}

/** 'YYYY-MM-DD' of a moment in Oslo. */
export function osloDate(value) {
  const p = osloParts(value);
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

/** 'HH:MM' of a moment in Oslo. */
export function osloTime(value) {
  const p = osloParts(value);
  return p ? `${p.hour}:${p.minute}` : '';
}

export function todayOslo() {
  return osloDate(now());
}

/** Minutes since midnight, now, in Oslo. */
export function minutesNowOslo() {
  const p = osloParts(now());
  return Number(p.hour) * 60 + Number(p.minute);
}

/** '08:30' → 510 (NaN when unreadable). */
export function clockMinutes(text) {
  const match = /^(\d{1,2}):(\d{2})/.exec(String(text || ''));
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

export function currentMonth() {
  return todayOslo().slice(0, 7);
}

/** '2026-12' plus n months. */
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function daysInMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 0 = Monday … 6 = Sunday, for a 'YYYY-MM-DD'. */
export function weekdayIndex(dateText) {
  return (calendarDate(dateText).getUTCDay() + 6) % 7;
}

function calendarDate(dateText) {
  const [y, m, d] = dateText.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d || 1));
}

const dayMonthFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long' });
const longDateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const monthFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
const weekdayLong = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long' });
const weekdayShort = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' });

/** '1. desember' / '1 December' for a calendar date 'YYYY-MM-DD'. */
export function dayMonth(dateText) {
  return dayMonthFormat.format(calendarDate(dateText));
}

/** 'tirsdag 1. desember 2026' / 'Tuesday 1 December 2026'. */
export function longDate(dateText) {
  return longDateFormat.format(calendarDate(dateText));
}

/** 'desember 2026' / 'December 2026' for '2026-12'. */
export function monthTitle(month) {
  return monthFormat.format(calendarDate(`${month}-01`));
}

/** Monday-first weekday names: [{short, long}]. */
export function weekdays() {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => {
    const date = new Date(Date.UTC(2024, 0, 1 + i));
    return { short: weekdayShort.format(date), long: weekdayLong.format(date) };
  });
}
