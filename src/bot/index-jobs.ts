import { existsSync } from "node:fs";
import type { Embedder } from "../embeddings/embedder.js";
import type { Engine } from "../engine.js";
import type { SkippedInput } from "../ingest/load.js";
import type { IndexJobResult } from "../indexer.js";
import { runIndexJob } from "../indexer.js";
import { runIndexJobInWorker } from "../workers/index-job.js";

/** One finished index job. */
export interface IndexJobOutcome {
  result: IndexJobResult;
  /**
   * The skipped inputs and notices no earlier job of this queue reported: a file that stays
   * unreadable is told to the admins once, not after every job.
   */
  fresh: { skipped: SkippedInput[]; notices: SkippedInput[] };
  /** Why it ran, e.g. "upload 平湖日报_2025-03-01.txt" or "/reindex". */
  reasons: string[];
  finishedAt: Date;
}

/** Runs one index job for the given reasons and returns its summary; throws when it fails. */
export type IndexJobRunner = (reasons: readonly string[]) => Promise<IndexJobResult>;

/** Called after each job that finished well, once the engine serves its snapshot. */
export type IndexJobListener = (outcome: IndexJobOutcome) => Promise<unknown>;

interface Queued {
  reasons: string[];
  promise: Promise<IndexJobOutcome>;
}

/**
 * Serialises index jobs: one runs at a time, and serving goes on meanwhile (the engine switches to
 * the new snapshot only when a job has finished). Jobs asked for while one is waiting to start
 * join it: a job reads the edition folders when it starts, so one run covers them all.
 */
export class IndexJobQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #waiting: Queued | undefined;
  #running = 0;
  #last: IndexJobOutcome | undefined;
  #lastError: { error: unknown; at: Date } | undefined;
  /** Problems the last job reported, by file and reason. */
  #reported = new Set<string>();
  readonly #listeners: IndexJobListener[] = [];
  readonly #listening = new Set<Promise<unknown>>();

  constructor(private readonly runJob: IndexJobRunner) {}

  /**
   * Calls `listener` after every job that finishes well, whoever queued it (an upload, /reindex,
   * an inbox watcher): subscriptions and the digest channel hang off this. Listeners run after the
   * job's own promise resolves and do not delay it; `idle()` waits for them. A listener that
   * rejects is ignored here, so it must log its own failures.
   */
  onFinished(listener: IndexJobListener): void {
    this.#listeners.push(listener);
  }

  /** Jobs running or waiting. */
  get pending(): number {
    return this.#running + (this.#waiting ? 1 : 0);
  }

  /** The last job that finished well. */
  get last(): IndexJobOutcome | undefined {
    return this.#last;
  }

  /** The last failure, if it came after the last success. */
  get lastError(): { error: unknown; at: Date } | undefined {
    return this.#lastError;
  }

  /** Queues a job (or joins the one waiting) and resolves when it has finished; rejects when it fails. */
  enqueue(reason: string): Promise<IndexJobOutcome> {
    if (this.#waiting) {
      this.#waiting.reasons.push(reason);
      return this.#waiting.promise;
    }
    const reasons = [reason];
    const promise = this.#tail.then(async () => {
      if (this.#waiting?.promise === promise) this.#waiting = undefined;
      this.#running++;
      try {
        const result = await this.runJob(reasons);
        const outcome = { result, fresh: this.#fresh(result), reasons, finishedAt: new Date() };
        this.#last = outcome;
        this.#lastError = undefined;
        for (const listener of this.#listeners) {
          const running = listener(outcome).catch(() => undefined);
          this.#listening.add(running);
          void running.finally(() => this.#listening.delete(running));
        }
        return outcome;
      } catch (error) {
        this.#lastError = { error, at: new Date() };
        throw error;
      } finally {
        this.#running--;
      }
    });
    const queued = { reasons, promise };
    this.#waiting = queued;
    this.#tail = promise.catch(() => undefined);
    return promise;
  }

  /**
   * The problems of a result not reported before. A problem gone from a later result is
   * forgotten, so that a file fixed and broken again is reported again.
   */
  #fresh(result: IndexJobResult): IndexJobOutcome["fresh"] {
    const key = (p: SkippedInput): string => `${p.file}\n${p.reason}`;
    const now = new Set([...result.skipped, ...result.notices].map(key));
    const fresh = {
      skipped: result.skipped.filter((p) => !this.#reported.has(key(p))),
      notices: result.notices.filter((p) => !this.#reported.has(key(p))),
    };
    this.#reported = now;
    return fresh;
  }

  /** Resolves once no job is running or waiting and their listeners are done. Never rejects. */
  async idle(): Promise<void> {
    while (this.pending > 0 || this.#listening.size > 0) {
      await this.#tail;
      await Promise.all([...this.#listening]);
    }
  }
}

/** What an index job reads and writes. */
export interface IndexJobSetup {
  engine: Engine;
  indexDir: string;
  /** The archive in PostgreSQL (INDEX_URL), written instead of `indexDir`. Defaults to none. */
  indexUrl?: string | undefined;
  /** Folders of editions (and .jsonl article exports) to index; missing folders are skipped. */
  editionDirs: readonly string[];
  /**
   * How the job gets its embedder. `worker`: the job runs on a worker thread that builds the
   * embedder from this configuration, so that indexing never stalls answering (the bot's
   * choice). `createEmbedder`: the job runs in-process with the embedder made by this function,
   * which must be a fresh instance, never the serving engine's: a stateful embedder (the hashed
   * one) is refitted by a full build, which would change how questions are embedded meanwhile.
   */
  embedder:
    | { worker: { embeddingModel: string | undefined; dataDir: string } }
    | { createEmbedder: () => Promise<Embedder> };
}

/**
 * The job a bot runs: index every edition folder with a fresh embedder into a new snapshot, then
 * switch the engine to it. Throws when indexing or reopening fails; the engine keeps serving the
 * previous snapshot then.
 */
export function createIndexJobRunner(setup: IndexJobSetup): IndexJobRunner {
  return async () => {
    const job = {
      editionDirs: setup.editionDirs.filter((dir) => existsSync(dir)),
      indexDir: setup.indexDir,
      indexUrl: setup.indexUrl,
    };
    const result =
      "worker" in setup.embedder
        ? await runIndexJobInWorker({ ...job, ...setup.embedder.worker })
        : await runIndexJob({ ...job, embedder: await setup.embedder.createEmbedder() });
    await setup.engine.reload();
    return result;
  };
}
