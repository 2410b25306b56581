// The case pool: a p-limit queue over a fixed number of observer processes.
import pLimit, { type LimitFunction } from 'p-limit';
import { ObserverClient, ObserverDiedError, type ObserverJournal } from './client.ts';
import type { RunRequest, ScriptRequest } from './request.ts';
import type { RunRecord, ScriptRecord } from './record.ts';

export class ObserverPool {
  readonly #binary: string;
  readonly #idle: ObserverClient[] = [];
  readonly #all = new Set<ObserverClient>();
  readonly #limit: LimitFunction;
  readonly #journal: (() => ObserverJournal) | undefined;
  #uncontained: string | null = null;
  #closed = false;

  /** `journal` gives each new observer its journal; without it (tests, bench) nothing is journaled. */
  constructor(binary: string, size: number, journal?: () => ObserverJournal, uncontained: string | null = null) {
    this.#binary = binary;
    this.#uncontained = uncontained;
    // A request still queued at close is rejected, not dropped: its caller (a case) must end, not wait for ever.
    this.#limit = pLimit({ concurrency: size, rejectOnClear: true });
    this.#journal = journal;
  }

  /** Runs one request on an idle observer; an observer that died is replaced, not reused. */
  run(request: RunRequest): Promise<RunRecord> {
    return this.#withClient((client) => client.run(request));
  }

  /** Runs one script on an idle observer. */
  script(request: ScriptRequest): Promise<ScriptRecord> {
    return this.#withClient((client) => client.script(request));
  }

  /**
   * Waits for an idle observer, then lets `use` prepare and run its script on it: what the case prepares (its
   * scratch dir) exists only while the case runs, not for the whole wait — a killed run leaves one per observer.
   */
  withScript<T>(use: (run: (request: ScriptRequest) => Promise<ScriptRecord>) => Promise<T>): Promise<T> {
    return this.#withClient((client) => use((request) => client.script(request)));
  }

  #withClient<T>(use: (client: ObserverClient) => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      const client = this.#take();
      try {
        return await use(client);
      } finally {
        if (client.alive) this.#idle.push(client);
        else this.#all.delete(client);
      }
    });
  }

  /**
   * Whether observers started from now on contain their cases: null contains them; a reason (the named
   * restriction that forbids it, or "probing") runs them with the host guard alone. Idle observers started
   * the other way are closed, so no case runs under the wrong setting.
   */
  async setUncontained(reason: string | null): Promise<void> {
    this.#uncontained = reason;
    const idle = this.#idle.splice(0);
    for (const client of idle) this.#all.delete(client);
    await Promise.all(idle.map((client) => client.close()));
  }

  /** Lets running cases finish (within the client's bound); `now` kills the observers instead (an interrupt). */
  async close(now = false): Promise<void> {
    // No observer starts after this: a request still on its way (a probe beside one that failed) fails instead of
    // starting an observer nobody closes, which kept Node alive and outlived the run's journal.
    this.#closed = true;
    this.#limit.clearQueue();
    await Promise.all([...this.#all].map((client) => (now ? client.kill() : client.close())));
    this.#all.clear();
    this.#idle.length = 0;
  }

  #take(): ObserverClient {
    if (this.#closed) throw new ObserverDiedError('the observer pool is closed: the run is ending');
    const client = this.#idle.pop() ?? new ObserverClient(this.#binary, this.#journal?.(), this.#uncontained);
    this.#all.add(client);
    return client;
  }
}
