import type { InputHTMLAttributes, Ref } from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { useT } from "../../i18n/index.js";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input with its error announced and tied to it (aria-describedby). */
export function Field({ id, label, error, hint, ref, ...input }: FieldProps) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={ref}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && !error ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

type PasswordFieldProps = Omit<FieldProps, "type" | "autoComplete" | "maxLength" | "hint"> & {
  /** A password being chosen (the browser may suggest one; the length rule shows) or the current one. */
  choosing: boolean;
};

/** A password input, with the length rule as its hint when one is being chosen. */
export function PasswordField({ choosing, ...field }: PasswordFieldProps) {
  const t = useT();
  return (
    <Field
      type="password"
      autoComplete={choosing ? "new-password" : "current-password"}
      maxLength={LIMITS.passwordMax}
      hint={choosing ? t("auth.passwordHint", { min: LIMITS.passwordMin }) : undefined}
      {...field}
    />
  );
}

/** A form's last lines: the error of the form as a whole, announced, and its submit button. */
export function FormEnd({
  error,
  busy,
  label,
  errorId,
}: {
  error: string | null | undefined;
  busy: boolean;
  label: string;
  errorId?: string;
}) {
  return (
    <>
      <div role="alert" id={errorId} className="form-error">
        {error}
      </div>
      <button type="submit" className="primary-button" disabled={busy} aria-busy={busy}>
        {label}
      </button>
    </>
  );
}
