/**
 * Watching edition folders (an inbox a newsroom's export job drops files into, or the folders of
 * `npm run index -- --watch`): new and changed files are reported in batches once they are
 * completely written, so that one index job covers a burst of files.
 */
import chokidar from "chokidar";
import path from "node:path";

/** How folders are watched. */
export interface WatchOptions {
  /** Quiet time after the last change before a batch is reported. Defaults to 1000 ms. */
  debounceMs?: number;
  /**
   * How long a file's size must stay the same before it counts as written (a copy in progress is
   * not read half-way). Defaults to 500 ms.
   */
  stableMs?: number;
}

/** A running watch; `close` stops it. */
export interface EditionWatch {
  /** Resolves once the folders are being watched. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches folders (not their subfolders) and calls `onBatch` with the files added, changed or
 * removed since the last call; hidden files (uploads and exports being written) are ignored.
 * Errors of the watcher go to `onError`. Never throws.
 */
export function watchEditionFolders(
  dirs: readonly string[],
  onBatch: (files: string[]) => void,
  onError: (error: unknown) => void,
  options: WatchOptions = {},
): EditionWatch {
  const debounceMs = options.debounceMs ?? 1000;
  const watcher = chokidar.watch([...dirs], {
    ignoreInitial: true,
    depth: 0,
    ignored: (file) => path.basename(file).startsWith(".") && !dirs.includes(file),
    awaitWriteFinish: { stabilityThreshold: options.stableMs ?? 500, pollInterval: 100 },
  });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const touched = (file: string): void => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending].sort();
      pending.clear();
      onBatch(files);
    }, debounceMs);
  };
  watcher.on("add", touched).on("change", touched).on("unlink", touched);
  watcher.on("error", onError);
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
