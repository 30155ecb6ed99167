import type { Client } from 'ssh2';

/**
 * Logged-in connections kept for a short while after use, one per login (who, where, with which key): opening
 * another run on the same deploy node then skips the SSH handshake and login, about 90 ms on the lab. A connection
 * is lent to one user at a time. One that closed is never lent again; one idle for `idleMs` is ended.
 *
 * Idle time is also read on the wall clock when a connection is asked for: timers stand still while the laptop
 * sleeps, so a connection kept across a sleep would be lent although its link is most likely gone, and a run
 * opened on it would hang until ssh2's keepalives give up (45 s).
 */
export class SshConnectionPool {
  private readonly idle = new Map<string, { client: Client; timer: ReturnType<typeof setTimeout>; keptAt: number }>();
  private readonly closed = new WeakSet<Client>();

  constructor(private readonly idleMs: number) {}

  /** The idle connection of this login, or a new one from `connect`. */
  async acquire(login: string, connect: () => Promise<Client>): Promise<Client> {
    const kept = this.forget(login);
    if (kept && Date.now() - kept.keptAt <= this.idleMs) return kept.client;
    kept?.client.destroy();
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
    if (before) this.forget(login)?.client.end();
    const timer = setTimeout(() => this.forget(login)?.client.end(), this.idleMs);
    timer.unref();
    this.idle.set(login, { client, timer, keptAt: Date.now() });
  }

  /** Ends every idle connection. */
  close(): void {
    for (const login of [...this.idle.keys()]) this.forget(login)?.client.end();
  }

  private forget(login: string): { client: Client; keptAt: number } | undefined {
    const kept = this.idle.get(login);
    if (!kept) return undefined;
    clearTimeout(kept.timer);
    this.idle.delete(login);
    return kept;
  }
}
