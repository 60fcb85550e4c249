/**
 * A tagged template that escapes every interpolated value unless it is already SafeHtml. Building the page only
 * through `html\`...\`` makes escaping structural: user texts cannot reach the markup unescaped by omission.
 */
import he from 'he';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

export function escapeHtml(text: string): string {
  return he.escape(text);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted markup produced by this module's own code (CSS, the inline script, the vendored Vega runtime). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
