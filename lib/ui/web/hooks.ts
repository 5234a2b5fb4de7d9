/// <reference lib="dom" />
/**
 * Preact hooks over the live connection: `useLive` re-renders on connection changes;
 * `useResource` fetches a JSON resource and fetches it again whenever a change on one
 * of its topics arrives — never two fetches of it at once, and one more after the
 * current one when changes arrived meanwhile.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { getJson } from "./api.ts";
import { type LiveState, liveState, onLiveState, onTopics } from "./live.ts";

/** The live connection's state. */
export function useLive(): LiveState {
  const [, tick] = useState(0);
  useEffect(() => onLiveState(() => tick((n) => n + 1)), []);
  return liveState();
}

/** A resource's last answer, its error, and whether a fetch runs. */
export interface Resource<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/** Fetches `path` (none when undefined) now and on every change of `topics`. */
export function useResource<T>(path: string | undefined, topics: string[]): Resource<T> {
  const [res, setRes] = useState<Resource<T>>({ loading: !!path });
  const flight = useRef({ running: false, again: false, path });
  useEffect(() => {
    const f = { running: false, again: false, path };
    flight.current = f;
    let alive = true;
    const load = async () => {
      if (!path) return;
      if (f.running) {
        f.again = true;
        return;
      }
      f.running = true;
      try {
        const data = await getJson<T>(path);
        if (alive) setRes({ data, loading: false });
      } catch (e) {
        if (alive) setRes((r) => ({ ...r, error: (e as Error).message, loading: false }));
      } finally {
        f.running = false;
        if (f.again && alive) {
          f.again = false;
          load();
        }
      }
    };
    setRes((r) => ({ ...r, loading: !!path }));
    load();
    const off = onTopics((changed) => {
      if (changed.some((t) => topics.includes(t))) load();
    });
    return () => {
      alive = false;
      off();
    };
  }, [path, topics.join(",")]);
  return res;
}
