/** Strings used across the app. One file per feature; every key also exists in ../de. */
export const common = {
  "common.cancel": "Cancel",
  "common.close": "Close",
  "common.save": "Save",
} as const;
