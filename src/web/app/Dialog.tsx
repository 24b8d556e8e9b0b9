import { type ReactNode, useEffect, useId, useRef } from "react";

interface DialogProps {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Where focus goes on close when the opener is no longer in the page. */
  returnFocus?: () => HTMLElement | null | undefined;
}

/**
 * A modal on the native <dialog>: the browser traps focus and closes on Escape. Focus goes back to
 * what opened it (React removes the element before the browser could restore it); when that is
 * gone too, to `returnFocus`'s choice.
 */
export function Dialog({ title, description, onClose, children, returnFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const fallback = useRef(returnFocus);
  fallback.current = returnFocus;
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      // After the commit that removed the dialog: the page decides what is focusable by then.
      setTimeout(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        const target = opener?.isConnected && opener.checkVisibility() ? opener : fallback.current?.();
        target?.focus();
      });
    };
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click closes on the backdrop; Escape is the keyboard way (onCancel)
    <dialog
      ref={ref}
      className="dialog panel"
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-desc` : undefined}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose(); // a click on the backdrop
      }}
    >
      <h2 id={`${id}-title`} className="dialog-title">
        {title}
      </h2>
      {description ? (
        <div id={`${id}-desc`} className="dialog-description">
          {description}
        </div>
      ) : null}
      {children}
    </dialog>
  );
}
