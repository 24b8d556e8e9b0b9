export const theme = {
  "theme.toggle": "Toggle theme",
  "theme.toLight": "Switch to light theme",
  "theme.toDark": "Switch to dark theme",
} as const;
