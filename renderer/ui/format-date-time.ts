/** A timestamp as the chosen language writes a date and time; `notADate` (the text itself unless given) otherwise. */
export function formatDateTime(iso: string, locale: string, notADate = iso): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return notADate;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
