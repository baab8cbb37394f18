// The two calls of fs-native-extensions that the index lock uses; the package ships no types.
declare module "fs-native-extensions" {
  /** Requests an exclusive (or, with `shared`, a shared) lock on the whole file; false when another holds it. */
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
  /** Releases a lock this file descriptor holds. */
  export function unlock(fd: number): void;
}
