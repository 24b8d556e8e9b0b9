import { useId } from "react";

/** One on/off setting with its explanation underneath (a native checkbox styled as a switch). */
export function SettingSwitch({
  label,
  help,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  help: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="setting-row">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="setting-switch"
        checked={checked}
        aria-checked={checked}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <div className="setting-text">
        <label htmlFor={id} className="setting-label">
          {label}
        </label>
        <p id={`${id}-help`} className="setting-help">
          {help}
        </p>
      </div>
    </div>
  );
}
