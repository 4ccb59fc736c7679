// "Import all": every file waiting in the queue imported one after another, each as its own batch (all
// or nothing, as one import always is), without a preview each, then one summary of what each did.
// Kept outside React, like the queue, so that leaving the page and coming back shows the same run.
import { useSyncExternalStore } from "react";
import type { CommandError, FileImport } from "../bindings";
import * as ipc from "../ipc";
import { finish, setCommitting, type QueuedFile } from "./importQueue";

export interface ImportAllResult {
  path: string;
  result?: FileImport;
  error?: CommandError;
}

export interface ImportAllState {
  total: number;
  results: ImportAllResult[];
  /** The file being imported now; null once every file is done. */
  current: string | null;
}

let state: ImportAllState | null = null;
const listeners = new Set<() => void>();
const set = (next: ImportAllState | null) => {
  state = next;
  listeners.forEach((l) => l());
};

/** Imports `files` in order; resolves with every file's outcome once the last one is done. */
export async function importAll(files: readonly QueuedFile[]): Promise<ImportAllResult[]> {
  const results: ImportAllResult[] = [];
  set({ total: files.length, results, current: files[0]?.path ?? null });
  for (const [i, file] of files.entries()) {
    set({ total: files.length, results: [...results], current: file.path });
    setCommitting(file.id, true);
    try {
      results.push({ path: file.path, result: await ipc.commitImport(file.path, file.format, () => undefined) });
    } catch (error) {
      results.push({ path: file.path, error: ipc.toCommandError(error) });
    } finally {
      setCommitting(file.id, false);
      finish(file.id);
    }
    set({ total: files.length, results: [...results], current: files[i + 1]?.path ?? null });
  }
  return results;
}

/** Done reading the summary. */
export function dismissImportAll(): void {
  if (state && state.current === null) set(null);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => state;

export function useImportAll(): ImportAllState | null {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
