import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import type { Chat, User } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { emailSchema } from "../../../protocol/schemas.js";
import { ApiError } from "../../api/http.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError, serverText } from "../../app/errors.js";
import { CloseIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";
import { unknownEmails } from "../../lib/group-form.js";

interface Props {
  me: User;
  createGroup: (title: string, emails: string[]) => Promise<Chat>;
  onCreated: (chat: Chat) => void;
  onClose: () => void;
}

/** A group: its name and the people in it (emails as removable chips; unknown ones flagged). */
export function NewGroupDialog({ me, createGroup, onCreated, onClose }: Props) {
  const t = useT();
  const [title, setTitle] = useState("");
  const [emails, setEmails] = useState<string[]>([]);
  const [entry, setEntry] = useState("");
  const [unknown, setUnknown] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [entryError, setEntryError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const entryRef = useRef<HTMLInputElement>(null);

  /** Adds what is typed as a chip; false when it is not a valid email. */
  function addEntry(): boolean {
    const raw = entry.trim().replace(/,$/, "");
    if (!raw) return true;
    const parsed = emailSchema.safeParse(raw);
    if (!parsed.success) {
      setEntryError(t("chats.notAnEmail", { text: raw }));
      return false;
    }
    const email = parsed.data;
    if (me.email && email === me.email.trim().toLowerCase()) {
      setEntryError(t("chats.selfInGroup"));
      return false;
    }
    setEntryError(null);
    setEmails((list) => (list.includes(email) ? list : [...list, email]));
    setEntry("");
    return true;
  }

  function removeEmail(email: string) {
    setEmails((list) => list.filter((e) => e !== email));
    setUnknown((set) => new Set([...set].filter((e) => e !== email)));
    entryRef.current?.focus();
  }

  function onEntryKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      addEntry();
    } else if (e.key === "Backspace" && entry === "" && emails.length > 0) {
      const last = emails.at(-1);
      if (last) removeEmail(last);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed = entry.trim() ? emailSchema.safeParse(entry.trim()) : null;
    if (typed && !addEntry()) return;
    // addEntry's chip lands on the next render: take the typed email directly too.
    const all = typed?.success && !emails.includes(typed.data) ? [...emails, typed.data] : emails;
    const name = title.trim();
    if (!name) return setError(t("chats.nameTheGroup"));
    if (all.length === 0) return setError(t("errors.field.groupPeople"));
    setBusy(true);
    setError(null);
    try {
      onCreated(await createGroup(name, all));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "user_not_found") {
        const flagged = unknownEmails(all, err.fields);
        setUnknown(new Set(flagged));
        setError(flagged.length > 0 ? t("chats.someUnknown") : t("chats.oneUnknown"));
      } else if (err instanceof ApiError && err.code === "invalid_input") {
        setError(serverText(err.fields.title ?? err.fields.emails ?? err.message));
      } else {
        setError(describeError(err));
      }
    }
  }

  return (
    <Dialog title={t("chats.newGroup")} description={t("chats.groupDescription")} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-title`}>{t("chats.groupName")}</label>
          <input
            id={`${id}-title`}
            type="text"
            autoComplete="off"
            maxLength={LIMITS.groupTitleMax}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            autoFocus
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-people`}>{t("chats.addPeople")}</label>
          {emails.length > 0 ? (
            // biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none
            <ul className="chips" role="list" aria-label={t("chats.peopleToAdd")}>
              {emails.map((email) => {
                const bad = unknown.has(email);
                return (
                  <li key={email} className={bad ? "chip is-invalid" : "chip"}>
                    <span>{email}</span>
                    {bad ? <span className="chip-flag">{t("chats.noAccount")}</span> : null}
                    <button
                      type="button"
                      className="chip-remove"
                      aria-label={t("chats.removeEmail", { email })}
                      onClick={() => removeEmail(email)}
                    >
                      <CloseIcon />
                    </button>
                  </li>
                );
              })}
            </ul>
          ) : null}
          <input
            ref={entryRef}
            id={`${id}-people`}
            type="email"
            autoComplete="off"
            placeholder={t("chats.emailThenEnter")}
            maxLength={LIMITS.emailMax}
            value={entry}
            onChange={(e) => setEntry(e.currentTarget.value)}
            onKeyDown={onEntryKey}
            onBlur={() => {
              if (entry.trim()) addEntry();
            }}
            aria-invalid={entryError ? true : undefined}
            aria-describedby={`${id}-people-error`}
          />
          <p id={`${id}-people-error`} className="field-error" role="alert">
            {entryError}
          </p>
        </div>
        <p className="field-error" role="alert">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="primary-button" disabled={busy}>
            {t("chats.createGroup")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
