/** The sign-in and sign-up screen. */
export const auth = {
  "auth.taglineLogin": "New here? Create an account in seconds.",
  "auth.taglineSignup": "Already have an account?",
  "auth.sub": "Private, self-hosted, real-time. Your messages stay on your server.",
  "auth.login": "Log in",
  "auth.signup": "Sign up",
  "auth.titleLogin": "Welcome back",
  "auth.titleSignup": "Create your account",
  "auth.email": "Email",
  "auth.username": "Username",
  "auth.password": "Password",
  "auth.usernameHint": "{min}–{max} letters, digits, _ . -",
  "auth.passwordHint": "At least {min} characters",
  "auth.emailTaken": "An account with this email already exists. Log in instead?",
  "auth.usernameTaken": "This username is taken. Try another one.",
} as const;
