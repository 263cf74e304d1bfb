import { useCallback, useMemo, useState } from 'react';
import type { ClientOptions } from '@tracklight/client';
import { TracklightProvider } from '@tracklight/react';
import { Dashboard } from './components/Dashboard.js';
import { SignIn } from './components/SignIn.js';
import { devLogin, wsUrl } from './lib/api.js';
import { loadSession, saveSession, type Session } from './lib/session.js';

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);

  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    saveSession(null);
    setSession(null);
  }, []);

  const options = useMemo<ClientOptions | null>(() => {
    if (!session) return null;
    let current = session;
    return {
      url: wsUrl('/ws/connect'),
      token: session.token,
      // An operations screen should not sit offline for long: the health probe usually wins anyway.
      backoff: { initialMs: 500, maxMs: 5000 },
      // Dev-login sessions renew themselves before expiry and after 4408; pasted tokens cannot.
      getToken:
        session.source === 'dev'
          ? async () => {
              const token = await devLogin(current.sub, current.roles);
              if (!token) throw new Error('dev login is disabled');
              current = { ...current, token };
              saveSession(current);
              // HTTP calls read the token from the session; the provider keeps its connection (same key).
              setSession(current);
              return token;
            }
          : undefined,
    };
  }, [session]);

  if (!session || !options) return <SignIn onSignedIn={signIn} />;
  // One provider per signed-in identity: a new sign-in remounts it with a fresh connection.
  return (
    <TracklightProvider key={`${session.sub}:${session.source}:${session.roles.join(',')}`} options={options}>
      <Dashboard session={session} onSignOut={signOut} />
    </TracklightProvider>
  );
}
