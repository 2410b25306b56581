// One observer process: writes requests, matches records to them by id, and fails them all if it dies.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  encodeBenchRequest,
  encodeRunRequest,
  encodeScriptRequest,
  type RunRequest,
  type ScriptRequest,
} from './request.ts';
import { parseRecordLine, ProtocolError, type BenchRecord, type RunRecord, type ScriptRecord } from './record.ts';

type AnyRecord = RunRecord | BenchRecord | ScriptRecord;

/** How long past a case's own deadline the harness waits before it declares the observer hung. */
const WATCHDOG_GRACE_MS = 5000;
const STDERR_KEPT = 4096;

interface Pending {
  resolve: (record: AnyRecord) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class ObserverDiedError extends Error {
  override name = 'ObserverDiedError';
}

/** Where the observer journals what it creates (an O_APPEND fd it inherits), and what to do once it has died. */
export interface ObserverJournal {
  readonly fd: number;
  /** Called once the observer has exited, whatever the cause: clean what its journal names. */
  readonly afterExit: () => void;
  /** The run's cgroup, below which the observer makes one per case (native/src/case_cgroup.c); none when absent. */
  readonly cgroup?: string | null;
}

export class ObserverClient {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stderr = '';
  #exited = false;

  /** `uncontained`: the restriction that forbids containing cases (native/PROTOCOL.md "Containment"), or null. */
  constructor(binary: string, journal?: ObserverJournal, uncontained: string | null = null) {
    const env = {
      ...process.env,
      ...(journal ? { NSCONFORM_JOURNAL_FD: '3' } : {}),
      ...(journal?.cgroup ? { NSCONFORM_CGROUP: journal.cgroup } : {}),
      ...(uncontained ? { NSCONFORM_UNCONTAINED: uncontained } : {}),
    };
    this.#process = journal
      ? (spawn(binary, [], {
          stdio: ['pipe', 'pipe', 'pipe', journal.fd],
          env,
        }) as unknown as ChildProcessWithoutNullStreams)
      : spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'], env });
    if (journal) closeSync(journal.fd); // the observer holds it now
    this.#process.stdin.on('error', () => {}); // a dead observer is reported by "exit"
    this.#process.stderr.setEncoding('utf8');
    this.#process.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEPT);
    });
    createInterface({ input: this.#process.stdout }).on('line', (line) => this.#receive(line));
    this.#process.on('error', (error) =>
      this.#failAll(new ObserverDiedError(`observer could not run: ${error.message}`)),
    );
    this.#process.on('exit', (code, signal) => {
      this.#exited = true;
      journal?.afterExit();
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const stderr = this.#stderr.trim() ? `; its stderr: ${this.#stderr.trim()}` : '';
      this.#failAll(new ObserverDiedError(`observer ended (${how})${stderr}`));
    });
  }

  get alive(): boolean {
    return !this.#exited;
  }

  async run(request: RunRequest): Promise<RunRecord> {
    const id = this.#nextId++;
    const record = await this.#send(id, encodeRunRequest(id, request), request.timeoutMs);
    if ('bench' in record || 'steps' in record)
      throw new ProtocolError(`observer answered run ${id} with another kind of record`);
    return record;
  }

  async script(request: ScriptRequest): Promise<ScriptRecord> {
    const id = this.#nextId++;
    const record = await this.#send(id, encodeScriptRequest(id, request), request.timeoutMs);
    if (!('steps' in record))
      throw new ProtocolError(
        `observer answered script ${id} without steps: ${'reason' in record ? String(record.reason) : ''}`,
      );
    return record;
  }

  async bench(passes: number, flagSets: readonly number[], request: RunRequest): Promise<BenchRecord> {
    const id = this.#nextId++;
    const budget = request.timeoutMs * passes * flagSets.length;
    const record = await this.#send(id, encodeBenchRequest(id, passes, flagSets, request), budget);
    if (!('bench' in record))
      throw new ProtocolError(
        `observer answered bench ${id} with ${record.outcome}: ${'reason' in record ? record.reason : ''}`,
      );
    return record;
  }

  /** Asks the observer to quit and waits for it; kills it if it does not. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#process.once('exit', () => resolve()));
    this.#process.stdin.end('quit\n');
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILLs the observer and waits for it: its cases' processes die with it (PR_SET_PDEATHSIG), the rest by its journal. */
  async kill(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#process.once('exit', () => resolve()));
    this.#process.kill('SIGKILL');
    await exited;
  }

  #send(id: number, line: string, deadlineMs: number): Promise<AnyRecord> {
    if (this.#exited) return Promise.reject(new ObserverDiedError('observer is not running'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ObserverDiedError(`observer gave no answer ${WATCHDOG_GRACE_MS} ms past the case deadline; killed`));
        this.#process.kill('SIGKILL');
      }, deadlineMs + WATCHDOG_GRACE_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#process.stdin.write(line);
    });
  }

  #receive(line: string): void {
    let record: AnyRecord;
    try {
      record = parseRecordLine(line);
    } catch (error) {
      this.#failAll(error as Error);
      return;
    }
    const pending = this.#pending.get(record.id);
    if (!pending) return this.#failAll(new ProtocolError(`observer answered unknown request ${record.id}`));
    this.#pending.delete(record.id);
    clearTimeout(pending.timer);
    pending.resolve(record);
  }

  #failAll(error: Error): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}
