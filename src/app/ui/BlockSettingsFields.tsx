import type { BlockSettings, BlockSpec } from '../../engine/blocks.ts';
import { resolveSettings } from '../../engine/blocks.ts';
import { WholeNumberInput } from './WholeNumberInput.tsx';

/**
 * A palette block's settings, folded under it (a `<details>` whose summary says the values now set): an int field,
 * a select of the allowed options, or a checkbox per setting. `onChange` gets every setting, resolved.
 */
export function BlockSettingsFields({ spec, value, onChange }: {
  spec: BlockSpec;
  value: Partial<BlockSettings>;
  onChange: (settings: BlockSettings) => void;
}) {
  const settings = resolveSettings(spec, value);
  const entries = Object.entries(spec.settings ?? {});
  if (!entries.length) return null;
  const set = (name: string, v: string | number | boolean) => onChange(resolveSettings(spec, { ...settings, [name]: v }));
  const summary = entries.map(([name, s]) => (s.type === 'bool' ? `${s.label} ${settings[name] ? 'on' : 'off'}` : `${s.label.toLowerCase()} ${settings[name]}`)).join(', ');
  return (
    <details className="block-settings" data-testid={`block-settings-${spec.key}`}>
      <summary title={summary}>{summary}</summary>
      {entries.map(([name, s]) => {
        const id = `block-${spec.key}-${name}`;
        return (
          <label key={name} className="block-setting" title={s.help}>
            <span>{s.label}</span>
            {s.type === 'bool' && (
              <input id={id} data-testid={id} type="checkbox" checked={settings[name] as boolean} onChange={(e) => set(name, e.target.checked)} />
            )}
            {s.type === 'int' && (
              <WholeNumberInput id={id} data-testid={id} min={s.min} max={s.max} label={s.label} value={settings[name] as number} onValue={(n) => set(name, n)} />
            )}
            {s.type === 'choice' && (
              <select id={id} data-testid={id} value={String(settings[name])} onChange={(e) => set(name, s.options.find((o) => String(o) === e.target.value) ?? s.default)}>
                {s.options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
              </select>
            )}
          </label>
        );
      })}
    </details>
  );
}
