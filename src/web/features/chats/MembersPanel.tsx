import { type FormEvent, useId, useState } from "react";
import type { Chat, MemberRole } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { ApiError } from "../../api/http.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError, serverText } from "../../app/errors.js";
import { t, useT } from "../../i18n/index.js";
import { myRole } from "../../lib/conversation.js";
import { groupRights, ROLE_LABEL, sortMembers } from "../../lib/group-rights.js";

interface Props {
  chat: Chat;
  myId: string;
  renameGroup: (chatId: string, title: string) => Promise<void>;
  addMember: (chatId: string, email: string) => Promise<void>;
  changeRole: (chatId: string, userId: string, role: Exclude<MemberRole, "owner">) => Promise<void>;
  removeMember: (chatId: string, userId: string) => Promise<void>;
  onLeft: () => void;
  onClose: () => void;
}

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "user_not_found") return t("chats.noSuchUser");
    if (error.code === "forbidden") return t("chats.roleForbidden");
    if (error.code === "invalid_input") return serverText(Object.values(error.fields)[0] ?? error.message);
  }
  return describeError(error);
}

/** A group's members and roles, and what my role lets me do with them. */
export function MembersPanel({
  chat,
  myId,
  renameGroup,
  addMember,
  changeRole,
  removeMember,
  onLeft,
  onClose,
}: Props) {
  const t = useT();
  const id = useId();
  const rights = groupRights(myRole(chat, myId), myId);
  const [title, setTitle] = useState(chat.title);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);

  async function run(action: () => Promise<void>, after?: () => void) {
    setBusy(true);
    setError(null);
    try {
      await action();
      after?.();
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  }

  const rename = (e: FormEvent) => {
    e.preventDefault();
    const wanted = title.trim();
    if (!wanted) return setError(t("errors.field.groupName"));
    if (wanted !== chat.title) void run(() => renameGroup(chat.id, wanted));
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const wanted = email.trim().toLowerCase();
    if (!wanted) return setError(t("chats.enterMemberEmail"));
    void run(
      () => addMember(chat.id, wanted),
      () => setEmail(""),
    );
  };

  return (
    <Dialog
      title={t("chats.members")}
      description={t("chats.membersSummary", { title: chat.title, count: chat.members.length })}
      onClose={onClose}
    >
      <div className="members-panel">
        <p className="field-error" role="alert">
          {error}
        </p>
        {rights.rename ? (
          <form className="inline-form" onSubmit={rename}>
            <label htmlFor={`${id}-title`}>{t("chats.groupName")}</label>
            <div className="inline-form-row">
              <input
                id={`${id}-title`}
                type="text"
                maxLength={LIMITS.groupTitleMax}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
              />
              <button type="submit" className="ghost-button" disabled={busy}>
                {t("chats.rename")}
              </button>
            </div>
          </form>
        ) : null}
        {rights.addMember ? (
          <form className="inline-form" onSubmit={add}>
            <label htmlFor={`${id}-email`}>{t("chats.addMember")}</label>
            <div className="inline-form-row">
              <input
                id={`${id}-email`}
                type="email"
                autoComplete="off"
                placeholder={t("chats.theirEmail")}
                maxLength={LIMITS.emailMax}
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <button type="submit" className="ghost-button" disabled={busy}>
                {t("chats.addMember")}
              </button>
            </div>
          </form>
        ) : null}
        {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
        <ul className="member-list" role="list" aria-label={t("chats.groupMembers")}>
          {sortMembers(chat.members).map((m) => (
            <li key={m.id} className="member" aria-label={m.username}>
              <span className="avatar" aria-hidden="true">
                {m.username.slice(0, 1).toUpperCase()}
              </span>
              <span className="member-name" dir="auto">
                {m.username}
                {m.id === myId ? <span className="member-you">{t("chats.you")}</span> : null}
              </span>
              <span className={`role-badge role-${m.role}`}>{t(ROLE_LABEL[m.role])}</span>
              <span className="member-actions">
                {rights.makeAdmin(m) ? (
                  <button
                    type="button"
                    className="ghost-button"
                    disabled={busy}
                    onClick={() => void run(() => changeRole(chat.id, m.id, "admin"))}
                  >
                    {t("chats.makeAdmin")}
                  </button>
                ) : null}
                {rights.makeMember(m) ? (
                  <button
                    type="button"
                    className="ghost-button"
                    disabled={busy}
                    onClick={() => void run(() => changeRole(chat.id, m.id, "member"))}
                  >
                    {t("chats.makeMember")}
                  </button>
                ) : null}
                {rights.remove(m) ? (
                  <button
                    type="button"
                    className="ghost-button is-danger"
                    disabled={busy}
                    onClick={() => void run(() => removeMember(chat.id, m.id))}
                  >
                    {t("chats.removeMember")}
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
        {confirmLeave ? (
          <section className="leave-confirm" aria-label={t("chats.leaveTitle")}>
            <p>{t("chats.leaveText", { title: chat.title })}</p>
            <div className="dialog-actions">
              <button type="button" className="ghost-button" onClick={() => setConfirmLeave(false)}>
                {t("chats.stay")}
              </button>
              <button
                type="button"
                className="danger-button"
                disabled={busy}
                onClick={() => void run(() => removeMember(chat.id, myId), onLeft)}
              >
                {t("chats.leave")}
              </button>
            </div>
          </section>
        ) : (
          <div className="dialog-actions">
            <button type="button" className="ghost-button" onClick={onClose}>
              {t("common.close")}
            </button>
            <button type="button" className="danger-button" onClick={() => setConfirmLeave(true)}>
              {t("chats.leaveGroup")}
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}
