// What every part of the end-to-end test shares: the run's state (options, session, results), its
// deadline, the log, and how a check fails. See run.mjs.
import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WAIT_MS = 15_000; // any one element or state
export const COMMIT_MS = 30_000; // an import being written

export const execFileP = promisify(execFile);
const started = Date.now();
export const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

/** `opts` is set once the arguments are read; the rest fills in as the steps run. */
export const state = { opts: null, driver: null, session: null, temp: [], results: [], skipped: [], failure: null, cleaning: null };
export const deadline = new AbortController();

export class StepFailure extends Error {}

export function fail(message) {
  throw new StepFailure(message);
}
