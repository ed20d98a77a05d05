import type tls from 'node:tls';

/**
 * The verified AsyncOS API connections of one check run (or one log listing or collection) that are
 * idle between calls (HTTP/1.1 keep-alive). Every socket in here passed the profile's trust (pinned
 * fingerprint or CA) when it was made, so reusing it sends no credential over a connection that was
 * not accepted; it only saves the TCP and TLS handshakes (round trips to a distant appliance, CPU on
 * both ends).
 *
 * A socket the appliance closes while idle leaves the pool at once; one it closes between `take`
 * and the request is the caller's to retry on a fresh connection (`StaleConnection`). `close()` at
 * the end destroys whatever is left, and a socket handed back after that is destroyed too: nothing
 * outlives the run.
 */
export class ApiConnections {
  private readonly idle = new Set<tls.TLSSocket>();
  private closed = false;

  /** An idle connection that is still open, or undefined. */
  take(): tls.TLSSocket | undefined {
    for (const socket of this.idle) {
      this.idle.delete(socket);
      socket.removeListener('close', this.dropOnClose);
      if (!socket.destroyed && socket.writable && socket.readable) return socket;
      socket.destroy();
    }
    return undefined;
  }

  /** Hands back a connection whose last answer ended and that the appliance keeps open. */
  give(socket: tls.TLSSocket): void {
    if (this.closed || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    this.idle.add(socket);
    socket.once('close', this.dropOnClose);
  }

  /**
   * `send` over a kept connection, or over a fresh one from `connect`. A kept one that turns out
   * closed (`send` rejects with StaleConnection) is replaced by a fresh one once, unless aborted.
   */
  async request<T>(signal: AbortSignal, connect: () => Promise<tls.TLSSocket>, send: (socket: tls.TLSSocket, reused: boolean) => Promise<T>): Promise<T> {
    const kept = this.take();
    if (kept) {
      try {
        return await send(kept, true);
      } catch (error) {
        if (!(error instanceof StaleConnection) || signal.aborted) throw error instanceof StaleConnection ? error.cause : error;
      }
    }
    return await send(await connect(), false);
  }

  close(): void {
    this.closed = true;
    for (const socket of this.idle) {
      socket.removeListener('close', this.dropOnClose);
      socket.destroy();
    }
    this.idle.clear();
  }

  private readonly dropOnClose = (): void => {
    for (const socket of this.idle) if (socket.destroyed) this.idle.delete(socket);
  };
}

/** A kept connection failed before any answer arrived: the appliance had closed it. */
export class StaleConnection extends Error {
  constructor(cause: unknown) {
    super('the kept API connection was closed by the appliance', { cause });
  }
}

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** Whether a request's error is what a connection closed by the other side gives. */
export function isStale(error: unknown): boolean {
  return STALE_CODES.has((error as NodeJS.ErrnoException | null)?.code ?? '');
}
