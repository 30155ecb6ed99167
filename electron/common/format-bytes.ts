/** Each unit from the largest, with the decimals it needs. */
const units = [
  [1e9, 2, 'GB'],
  [1e6, 1, 'MB'],
  [1e3, 0, 'kB'],
] as const;

/**
 * Sizes for people, in decimal units as disks and links are sold (1 GB = 10^9 bytes): the window and the CLI alike.
 * The number is written as `locale` writes it (the CLI's English unless the window passes its language).
 */
export function formatBytes(bytes: number, locale = 'en'): string {
  const [scale, digits, unit] = units.find(([size]) => bytes >= size) ?? [1, 0, 'B'];
  const number = (bytes / scale).toLocaleString(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
  return `${number} ${unit}`;
}
