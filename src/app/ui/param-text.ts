/** Text ↔ value for the inspector's fields: the person's text is kept as typed, the value is what validates. */

import type { ParamSpec } from '../../engine/index.ts';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function num(t: string): unknown {
  return NUMBER.test(t) ? Number(t) : t;
}

/** Parses a field's text; `undefined` means "leave the param out". */
export function parseParamText(spec: ParamSpec, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  switch (spec.type) {
    case 'int':
    case 'float':
      return num(t);
    case 'int2':
    case 'padding': {
      const parts = t.split(/\s*[,×x*\s]\s*/i).filter(Boolean);
      if (parts.length === 1) return num(parts[0]);
      if (parts.length === 2) return parts.map(num);
      return t;
    }
    case 'shape': {
      const parts = t.replace(/^\[|\]$/g, '').split(/\s*[,×x*\s]\s*/i).filter(Boolean);
      return parts.map(num);
    }
    default:
      return t;
  }
}

export function formatParamValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) {
    if (v.length === 2 && v[0] === v[1]) return String(v[0]);
    return v.join(', ');
  }
  return String(v);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
