import { useEffect, useState } from 'react';

/** Whether a CSS media query matches, following changes (rotation, resize). */
export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}

/** Phones: the table alone, the graph on demand. */
export const PHONE_QUERY = '(max-width: 700px)';

type ThemeAttribute = 'light' | 'dark' | 'system';

function themeAttribute(): ThemeAttribute {
  const theme = document.documentElement.dataset.theme;
  return theme === 'light' || theme === 'dark' ? theme : 'system';
}

/** The page's theme attribute (styles.css: data-theme), following the header's toggle. */
export function useThemeAttribute(): ThemeAttribute {
  const [theme, setTheme] = useState(themeAttribute);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(themeAttribute()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}
