import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { currentSession, type Role, type SessionInfo } from './api/auth';
import { setCsrfToken } from './api/csrf';

/** Who is signed in, as the console needs it; the CSRF token itself lives in api/csrf.ts. */
export interface Session {
  userId: number;
  role: Role;
  noticePending: boolean;
}

/** Roles that see the admin screens; the API decides what each may do there (docs/access-matrix.md). */
export const isAdmin = (session: Session | null | undefined) =>
  session?.role !== undefined && session.role !== 'member';

interface SessionState {
  /** undefined while the server is asked, null when nobody is signed in. */
  session: Session | null | undefined;
  /** csrf: the session's new token; left out, the current one is kept. */
  setSession: (session: Session | null, csrf?: string) => void;
}

const SessionContext = createContext<SessionState>({ session: null, setSession: () => {} });

/** Asks the server once who holds the cookie, so a reload keeps the person signed in. */
export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [session, setState] = useState<Session | null | undefined>(undefined);
  const setSession = (next: Session | null, csrf?: string) => {
    if (!next || csrf !== undefined) setCsrfToken(next ? (csrf ?? null) : null);
    setState(next);
  };
  useEffect(() => {
    currentSession().then(
      (info) => setSession(sessionFrom(info), info.csrf_token),
      () => setSession(null),
    );
  }, []);
  return <SessionContext.Provider value={{ session, setSession }}>{children}</SessionContext.Provider>;
}

export const sessionFrom = (info: SessionInfo): Session => ({
  userId: info.user_id,
  role: info.role,
  noticePending: !info.privacy_notice_accepted,
});

export const useSession = () => useContext(SessionContext);
