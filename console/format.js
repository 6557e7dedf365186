/** Small renderings shared by the views. */

export const time = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

/** The data's scalar fields as key=value, nested values shortened: one event per line. */
export function summary(data, omit = []) {
  if (data === null || typeof data !== 'object') return String(data ?? '');
  return Object.entries(data)
    .filter(([key]) => !omit.includes(key))
    .map(([key, value]) => `${key}=${value !== null && typeof value === 'object' ? (Array.isArray(value) ? `[${value.length}]` : '{…}') : value}`)
    .join(' ');
}

/** Failures red, compensations amber, outcomes green: the same colours as concertctl. */
export function tone(type) {
  if (/Failed|Rejected|DeadLettered|Parked/.test(type)) return 'bad';
  if (/Released|Refunded|Voided|Expired|Redriven/.test(type)) return 'undo';
  if (/Completed|Succeeded|Reserved|Debited|SoldOut/.test(type)) return 'good';
  return 'plain';
}

export const json = (value) => JSON.stringify(value, null, 2);
