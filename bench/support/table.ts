/** A markdown table whose columns are padded, so the same text reads well on a terminal and renders on GitHub. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

export const formatRatio = (value: number): string => `${value.toFixed(2)}×`;

export const formatMs = (value: number): string => `${value.toFixed(1)} ms`;
