import { useCallback, useState } from 'react';
import { currentUser } from '../auth.js';
import { storeActor, storedActor } from '../lib/preferences.js';

export interface Actor {
  /** Who acts, as shown (locally: the name kept in this browser; null in AWS or before asking). */
  readonly name: string | null;
  /** Waiting for the prompt's answer. */
  readonly asking: boolean;
  /** Who to record: in AWS the signed-in user; locally the kept name, asked once. Null: cancelled. */
  readonly actingAs: () => Promise<string | undefined | null>;
  /** Ask (again) for the local name. */
  readonly ask: () => Promise<string | null>;
  /** The prompt's answer (null: cancelled). */
  readonly answer: (name: string | null) => void;
}

/** Who acts: the signed-in user in AWS; locally a name asked once and kept in this browser. */
export function useActor(cognito: boolean): Actor {
  const [name, setName] = useState<string | null>(() => (cognito ? null : storedActor()));
  const [pending, setPending] = useState<{ resolve: (name: string | null) => void } | null>(null);
  const ask = useCallback(() => new Promise<string | null>((resolve) => setPending({ resolve })), []);
  const actingAs = useCallback(async (): Promise<string | undefined | null> => {
    if (cognito) return currentUser();
    return storedActor() ?? ask();
  }, [cognito, ask]);
  const answer = (given: string | null) => {
    if (given) {
      storeActor(given);
      setName(given);
    }
    pending?.resolve(given);
    setPending(null);
  };
  return { name, asking: pending !== null, actingAs, ask, answer };
}
