// What this browser remembers between visits (localStorage): who acts when the local server has
// no sign-in, and the colour theme. Storage that is full or blocked only loses the memory.

const ACTOR_KEY = 'tfdrift.actor';
const THEME_KEY = 'tfdrift.theme';

export type Theme = 'system' | 'light' | 'dark';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not remembered; the value still applies to this page.
  }
}

/** The name given for acknowledging and resolving locally, or null when never asked. */
export function storedActor(): string | null {
  const value = read(ACTOR_KEY)?.trim();
  return value ? value : null;
}

export function storeActor(name: string | null): void {
  write(ACTOR_KEY, name?.trim() || null);
}

export function storedTheme(): Theme {
  const value = read(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Applies the theme to the page (styles.css reads data-theme) and remembers it. */
export function applyTheme(theme: Theme, remember = true): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (remember) write(THEME_KEY, theme === 'system' ? null : theme);
}
