import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@tracklight/protocol';
import { devLogin } from '../lib/api.js';
import { sessionFromToken, type Session } from '../lib/session.js';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [sub, setSub] = useState('demo');
  const [roles, setRoles] = useState<Role[]>(['viewer', 'ops']);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [devDisabled, setDevDisabled] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onDevLogin(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const token = await devLogin(sub.trim(), roles);
      if (!token) {
        setDevDisabled(true);
        setError('Dev login is disabled on this gateway: paste a token instead.');
        return;
      }
      const session = sessionFromToken(token, 'dev');
      if (session instanceof Error) setError(session.message);
      else onSignedIn(session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function onPaste(event: FormEvent) {
    event.preventDefault();
    const session = sessionFromToken(pasted, 'pasted');
    if (session instanceof Error) setError(session.message);
    else onSignedIn(session);
  }

  return (
    <main className="signin">
      <h1>Tracklight</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!devDisabled && (
        <form onSubmit={(e) => void onDevLogin(e)} aria-labelledby="dev-login-title">
          <h2 id="dev-login-title">Development sign-in</h2>
          <label>
            User id
            <input value={sub} onChange={(e) => setSub(e.target.value)} required pattern="[\w.@\-]+" maxLength={100} />
          </label>
          <fieldset>
            <legend>Roles</legend>
            {ROLES.map((role) => (
              <label key={role} className="inline">
                <input
                  type="checkbox"
                  checked={roles.includes(role)}
                  onChange={(e) => setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))}
                />
                {role}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      <form onSubmit={onPaste} aria-labelledby="paste-title">
        <h2 id="paste-title">Sign in with a token</h2>
        <label>
          JWT (from <code>npm run token -- --sub alice --roles ops</code>)
          <textarea value={pasted} onChange={(e) => setPasted(e.target.value)} rows={4} required spellCheck={false} />
        </label>
        <button type="submit">Use token</button>
      </form>
    </main>
  );
}
