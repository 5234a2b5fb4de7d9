/**
 * Time limits on the connections of kcp-lite's listener:
 *
 * - a new connection must complete its TLS handshake and send its first request's headers
 *   within `headerMs`, or it is closed — connections that never authenticate do not stay;
 * - a connection idle between requests is closed after `idleMs` (enforced by the
 *   connection itself, {@link ./http1_server_connection.ts}, which also ends a connection
 *   after a reply that went out before its request's body was all in, or that the request
 *   asked to close).
 *
 * The guard finds a TLS socket's TCP socket through `_parent`, as Node and Deno set it.
 *
 * @module
 */
import type { Socket } from "node:net";

/** The time limits, in milliseconds. */
export interface ConnectionTimeouts {
  /** From accepting a connection until its first request's headers are in. */
  headerMs: number;
  /** Between requests on a keep-alive connection. */
  idleMs: number;
}

/** kcp-lite's defaults (kube-apiserver: 32 s for headers, 90 s idle). */
export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = { headerMs: 10_000, idleMs: 90_000 };

interface ConnectionState {
  /** Pending until the first request arrives. */
  timer?: ReturnType<typeof setTimeout>;
}

/** The TCP socket under a request's socket. */
function tcpSocketOf(socket: unknown): object {
  return (socket as { _parent?: object })._parent ?? (socket as object);
}

/** Tracks the listener's connections; see the module documentation. */
export class ConnectionGuard {
  readonly #open = new Map<Socket, ConnectionState>();
  #closedForHeaders = 0;

  constructor(readonly timeouts: ConnectionTimeouts) {}

  /** A TCP connection was accepted. */
  accepted(socket: Socket): void {
    const state: ConnectionState = {};
    this.#open.set(socket, state);
    state.timer = setTimeout(() => {
      this.#closedForHeaders++;
      socket.destroy();
    }, this.timeouts.headerMs);
    socket.on("close", () => {
      clearTimeout(state.timer);
      this.#open.delete(socket);
    });
  }

  /** The first request of a TLS connection arrived: the connection has shown itself. */
  requestStarted(tlsSocket: object): void {
    const state = this.#open.get(tcpSocketOf(tlsSocket) as Socket);
    if (state?.timer !== undefined) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  /** Closes every connection (the server stops). */
  destroyAll(): void {
    for (const socket of this.#open.keys()) socket.destroy();
  }

  /** Figures for tests and diagnostics. */
  stats(): { open: number; closedForHeaders: number } {
    return { open: this.#open.size, closedForHeaders: this.#closedForHeaders };
  }
}
