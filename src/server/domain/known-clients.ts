/**
 * Client addresses that signed in to an account before, so that a flood of failures from
 * elsewhere (the per-account ceiling) cannot lock the owner out of their usual places.
 * In memory and per process, like the rate limiters: a restart forgets them.
 */
export class KnownClients {
  private readonly byAccount = new Map<string, Map<string, number>>();

  constructor(
    private readonly ttlMs: number,
    private readonly perAccount: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(account: string, client: string): boolean {
    const expiresAt = this.byAccount.get(account)?.get(client);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  remember(account: string, client: string): void {
    let clients = this.byAccount.get(account);
    if (!clients) {
      clients = new Map();
      this.byAccount.set(account, clients);
    }
    clients.delete(client);
    clients.set(client, this.now() + this.ttlMs);
    // Maps iterate in insertion order: the first entry is the one used least recently.
    while (clients.size > this.perAccount) clients.delete(clients.keys().next().value as string);
  }
}
