/** A timestamp as the operator's locale writes a date and time; `notADate` (the text itself unless given) otherwise. */
export function formatDateTime(iso: string, notADate = iso): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return notADate;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
