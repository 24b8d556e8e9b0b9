/**
 * The client's sentence for every error code (`errors.code.*`), and the protocol's validation
 * texts (`errors.field.*`): their English text is exactly what src/protocol/schemas.ts says, so a
 * server or form message is recognised and shown in the reader's language.
 */
export const errors = {
  "errors.code.invalid_input": "Check what you entered and try again.",
  "errors.code.unauthorized": "Please sign in again.",
  "errors.code.invalid_credentials": "Wrong email or password.",
  "errors.code.forbidden_origin": "This request came from another site and was refused.",
  "errors.code.not_found": "This no longer exists.",
  "errors.code.user_not_found": "Nobody has that email.",
  "errors.code.email_taken": "An account with this email already exists.",
  "errors.code.username_taken": "This username is taken.",
  "errors.code.payload_too_large": "That is too large to send.",
  "errors.code.unsupported_media_type":
    "The app sent something the server does not understand. Reload the page.",
  "errors.code.forbidden": "You are not allowed to do that here.",
  "errors.code.registration_closed": "Sign-up needs an invitation on this server.",
  "errors.code.token_invalid": "This link is used, expired or was revoked.",
  "errors.code.quota_exceeded": "Your storage is full. Delete some files and try again.",
  "errors.code.rate_limited": "Too many attempts. Wait a moment and try again.",
  "errors.code.range_not_satisfiable": "That part of the file does not exist. Download it again.",
  "errors.code.internal_error": "Something went wrong on our side. Please try again.",
  "errors.code.unavailable": "The server is briefly unavailable. Try again in a moment.",
  "errors.code.request_timeout": "The request took too long to arrive. Try again.",
  "errors.code.uri_too_long": "That address is too long.",
  "errors.code.unknown_host": "This server is not set up for the address you used. Ask its admin to add it.",
  "errors.code.headers_too_large":
    "Your browser sent too much data with the request. Clear this site's cookies and sign in again.",
  "errors.code.network_error": "Cannot reach the server. Check your connection.",
  "errors.code.timeout": "The server took too long to answer.",
  "errors.rateLimitedIn": {
    one: "Too many attempts. Try again in {count} second.",
    other: "Too many attempts. Try again in {count} seconds.",
  },
  "errors.generic": "Something went wrong. Please try again.",
  "errors.status": "The server answered {status}.",
  "errors.field.email": "Enter a valid email address.",
  "errors.field.username": "Use {min}–{max} characters: letters, digits, _ . -",
  "errors.field.passwordMin": "Use at least {min} characters.",
  "errors.field.passwordMax": "Use at most {max} characters.",
  "errors.field.passwordMissing": "Enter your password.",
  "errors.field.text": "Use well-formed Unicode text (no lone surrogates, no NUL).",
  "errors.field.messageEmpty": "A message cannot be empty.",
  "errors.field.messageMax": "A message holds at most {max} characters.",
  "errors.field.messageInvisible": "A message cannot be only whitespace or invisible characters.",
  "errors.field.groupName": "A group needs a name.",
  "errors.field.groupNameMax": "A group name holds at most {max} characters.",
  "errors.field.groupPeople": "Add at least one person.",
} as const;
