import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { formatInt } from '../../engine/index.ts';

/**
 * A whole-number field outside the inspector's param forms (a block's settings, ×N, the run's seed). Only text that
 * reads as a whole number within [min, max] reaches `onValue`; other text stays in the field, red, with the range
 * beside it, while the value in use stays the last valid one. Escape puts the field back to that value, and so
 * does leaving it with wrong text (the red mark is not left on a value nobody is editing).
 */
export function WholeNumberInput({ value, min, max, onValue, label, ...rest }: {
  value: number;
  min: number;
  max: number;
  onValue: (n: number) => void;
  /** the field's words on screen, for the message */
  label: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'min' | 'max'>) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText((t) => (t.trim() !== '' && Number(t) === value ? t : String(value))), [value]);
  const valid = /^\s*\d+\s*$/.test(text) && Number(text) >= min && Number(text) <= max;
  return (
    <span className={`whole-number${valid ? '' : ' invalid'}`}>
      <input
        {...rest}
        value={text}
        inputMode="numeric"
        aria-invalid={valid ? undefined : true}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (/^\s*\d+\s*$/.test(t) && Number(t) >= min && Number(t) <= max) onValue(Number(t));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setText(String(value));
          } else if (e.key === 'Enter') e.currentTarget.blur();
          rest.onKeyDown?.(e);
        }}
        onBlur={(e) => {
          if (!valid) setText(String(value));
          rest.onBlur?.(e);
        }}
      />
      {!valid && (
        <small className="field-issue" role="alert">
          {label}: a whole number from {formatInt(min)} to {formatInt(max)}; {formatInt(value)} stays
        </small>
      )}
    </span>
  );
}
