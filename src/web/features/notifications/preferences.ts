/** This device's notification choices (not the account's): kept in localStorage. */
const KEY = "glasschat.notifications";

export interface DevicePreferences {
  /** Desktop notifications while the tab is hidden (after the browser's permission). */
  desktop: boolean;
  sound: boolean;
}

const DEFAULTS: DevicePreferences = { desktop: false, sound: false };

export function readPreferences(): DevicePreferences {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<DevicePreferences>;
    return {
      desktop: stored.desktop === true,
      sound: stored.sound === true,
    };
  } catch {
    return DEFAULTS;
  }
}

export function writePreferences(patch: Partial<DevicePreferences>): DevicePreferences {
  const next = { ...readPreferences(), ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  return next;
}
