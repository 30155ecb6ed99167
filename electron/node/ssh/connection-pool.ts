import type { Client } from 'ssh2';

/**
 * Logged-in connections kept for a short while after use, one per login (who, where, with which key): opening
 * another run on the same deploy node then skips the SSH handshake and login, about 90 ms on the lab. A connection
 * is lent to one user at a time. One that closed is never lent again; one idle for `idleMs` is ended.
 */
export class SshConnectionPool {
  private readonly idle = new Map<string, { client: Client; timer: ReturnType<typeof setTimeout> }>();
  private readonly closed = new WeakSet<Client>();

  constructor(private readonly idleMs: number) {}

  /** The idle connection of this login, or a new one from `connect`. */
  async acquire(login: string, connect: () => Promise<Client>): Promise<Client> {
    const kept = this.idle.get(login);
    if (kept) {
      this.idle.delete(login);
      clearTimeout(kept.timer);
      return kept.client;
    }
    const client = await connect();
    client.once('close', () => {
      this.closed.add(client);
      if (this.idle.get(login)?.client === client) this.forget(login);
    });
    return client;
  }

  /** Takes a connection back from its user: kept for the next one (ending the one kept before), unless it closed. */
  release(login: string, client: Client): void {
    if (this.closed.has(client)) return;
    const before = this.idle.get(login);
    if (before?.client === client) return;
    if (before) this.forget(login)?.end();
    const timer = setTimeout(() => this.forget(login)?.end(), this.idleMs);
    timer.unref();
    this.idle.set(login, { client, timer });
  }

  /** Ends every idle connection. */
  close(): void {
    for (const login of [...this.idle.keys()]) this.forget(login)?.end();
  }

  private forget(login: string): Client | undefined {
    const kept = this.idle.get(login);
    if (!kept) return undefined;
    clearTimeout(kept.timer);
    this.idle.delete(login);
    return kept.client;
  }
}
