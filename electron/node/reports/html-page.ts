/** The pieces every self-contained HTML report shares: no scripts, no external resources, printable. */

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

// The Chinese fonts of macOS, Windows and Linux before the generic family, for a report made in 简体中文: a report
// loads nothing, so a reader's machine without any of them shows boxes (the window ships its own font, a file cannot).
const baseStyle = `body { font: 14px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC',
  'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; }`;

/** From the doctype to the opening <body>; `title` is text, `style` rules are the report's own, `lang` its language. */
export function pageHead(title: string, style: string, lang: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
${baseStyle}
${style}
</style>
</head>
<body>
`;
}

/** A two-column table of the facts that have a value. */
export function factsTable(facts: readonly (readonly [string, string | undefined])[]): string {
  const rows = facts
    .filter(([, value]) => value)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value!)}</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

/** A table with a header row; cells are text, escaped here, each optionally with a class. */
export function dataTable(header: readonly string[], rows: readonly (readonly (string | Cell)[])[]): string {
  const cell = (value: string | Cell) =>
    typeof value === 'string'
      ? `<td>${escapeHtml(value)}</td>`
      : `<td class="${value.tone}">${escapeHtml(value.text)}</td>`;
  const head = `<tr>${header.map((label) => `<th>${escapeHtml(label)}</th>`).join('')}</tr>`;
  return `<table>${head}\n${rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n')}</table>`;
}

export interface Cell {
  text: string;
  tone: string;
}
