import { useEffect, useState } from 'preact/hooks';

/**
 * An answer from the server for a view: loading, the value, or the error.
 * Loads again when `deps` change; an answer for deps that changed meanwhile
 * is dropped. A 401 means the token was changed under the console: sign out.
 */
export function useLoad(load, deps, onUnauthorized) {
  const [state, setState] = useState({ loading: false });
  useEffect(() => {
    let current = true;
    if (!load) return setState({ loading: false });
    setState({ loading: true });
    load()
      .then((value) => current && setState({ value }))
      .catch((error) => {
        if (!current) return;
        if (error.status === 401) onUnauthorized?.();
        setState({ error });
      });
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
