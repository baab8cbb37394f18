// Worker bootstrap: workers do not inherit tsx's loader, so register it before importing the
// TypeScript entry named in workerData.entry.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
