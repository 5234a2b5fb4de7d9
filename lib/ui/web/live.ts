/// <reference lib="dom" />
/**
 * The page's live connection: one `EventSource` on `/api/events`, whose `change`
 * events say which topics changed; components subscribe to topics and refetch. The
 * state of the connection to the CLI (`open`, `lost`, `denied`) and of the CLI's
 * connection to the hub are kept here for the banner. A stream that errors is
 * reopened (the browser retries by itself after a network error, this code after an
 * HTTP error or 45 s of silence).
 *
 * @module
 */
import type { HubStatus } from "../hub_health.ts";
import { TOKEN } from "./api.ts";

/** The connection state shown by the banner. */
export interface LiveState {
  cli: "connecting" | "open" | "lost" | "denied";
  hub?: HubStatus;
  generation: number;
  /** When the last change arrived (ms since epoch). */
  changedAt?: number;
}

type TopicListener = (topics: string[], generation: number) => void;

const state: LiveState = { cli: "connecting", generation: 0 };
const stateListeners = new Set<() => void>();
const topicListeners = new Set<TopicListener>();
let source: EventSource | undefined;
let silence: ReturnType<typeof setTimeout> | undefined;

function setState(patch: Partial<LiveState>): void {
  Object.assign(state, patch);
  for (const l of stateListeners) l();
}

/** The current state. */
export function liveState(): LiveState {
  return state;
}

/** Calls `fn` when the state changes; returns the unsubscribe. */
export function onLiveState(fn: () => void): () => void {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

/** Calls `fn` with the topics of every change; returns the unsubscribe. */
export function onTopics(fn: TopicListener): () => void {
  topicListeners.add(fn);
  return () => topicListeners.delete(fn);
}

function quietFor(ms: number): void {
  clearTimeout(silence);
  silence = setTimeout(() => reopen(), ms);
}

function reopen(): void {
  source?.close();
  source = undefined;
  setTimeout(connect, 1000);
}

/** Opens the event stream (once). */
export function connect(): void {
  if (source) return;
  const es = new EventSource(`/api/events?token=${encodeURIComponent(TOKEN)}`);
  source = es;
  quietFor(45_000);
  es.addEventListener("hello", (ev) => {
    const data = JSON.parse((ev as MessageEvent).data) as { generation: number; hub: HubStatus };
    const again = state.cli !== "connecting";
    setState({ cli: "open", hub: data.hub, generation: data.generation });
    quietFor(45_000);
    // After a reconnection anything may have changed meanwhile.
    if (again) {
      for (const l of topicListeners) l(["fleet", "placements", "hub"], data.generation);
    }
  });
  es.addEventListener("change", (ev) => {
    const data = JSON.parse((ev as MessageEvent).data) as { generation: number; topics: string[] };
    setState({ generation: data.generation, changedAt: Date.now() });
    quietFor(45_000);
    for (const l of topicListeners) l(data.topics, data.generation);
  });
  es.addEventListener("ping", () => quietFor(45_000));
  es.onerror = () => {
    setState({ cli: "lost" });
    if (es.readyState === EventSource.CLOSED) {
      // An HTTP error (a restarted CLI has a new token): try again, slowly.
      fetch(`/api/hub`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => {
        if (r.status === 401) setState({ cli: "denied" });
      }).catch(() => {});
      reopen();
    }
  };
}

/** Records a hub state fetched outside the stream. */
export function setHub(hub: HubStatus): void {
  setState({ hub });
}
