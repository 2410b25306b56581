// The case pool: a p-limit queue over a fixed number of observer processes.
import pLimit, { type LimitFunction } from 'p-limit';
import { ObserverClient, type ObserverJournal } from './client.ts';
import type { RunRequest, ScriptRequest } from './request.ts';
import type { RunRecord, ScriptRecord } from './record.ts';

export class ObserverPool {
  readonly #binary: string;
  readonly #idle: ObserverClient[] = [];
  readonly #all = new Set<ObserverClient>();
  readonly #limit: LimitFunction;
  readonly #journal: (() => ObserverJournal) | undefined;

  /** `journal` gives each new observer its journal; without it (tests, bench) nothing is journaled. */
  constructor(binary: string, size: number, journal?: () => ObserverJournal) {
    this.#binary = binary;
    this.#limit = pLimit(size);
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

  /** Lets running cases finish (within the client's bound); `now` kills the observers instead (an interrupt). */
  async close(now = false): Promise<void> {
    this.#limit.clearQueue();
    await Promise.all([...this.#all].map((client) => (now ? client.kill() : client.close())));
    this.#all.clear();
    this.#idle.length = 0;
  }

  #take(): ObserverClient {
    const client = this.#idle.pop() ?? new ObserverClient(this.#binary, this.#journal?.());
    this.#all.add(client);
    return client;
  }
}
