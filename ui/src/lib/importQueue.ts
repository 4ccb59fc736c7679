// The files waiting for a preview: dropped, picked, sent by a second launch or window.__tributary. The
// first one is previewed; when it is imported or cancelled, the next one is.
import { useSyncExternalStore } from "react";
import { navigate } from "./router";

export interface QueuedFile {
  id: number;
  path: string;
  /** A format chosen for it (e.g. a mapping just saved); null lets the backend detect. */
  format: string | null;
  /** Its import is being written: kept here, not in the preview component, so that leaving the page
   * and coming back cannot offer "Import" (or "Cancel") again while it runs. */
  committing?: boolean;
}

let nextId = 1;
let queue: QueuedFile[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function enqueueFiles(paths: string[]): void {
  const fresh = paths.filter((p) => p && !queue.some((q) => q.path === p));
  if (fresh.length === 0) {
    navigate("imports");
    return;
  }
  queue = [...queue, ...fresh.map((path) => ({ id: nextId++, path, format: null }))];
  navigate("imports");
  emit();
}

/** Done with this file (imported or cancelled): the next one is previewed. By id, so that an import
 * finishing late never removes a file that came up meanwhile. */
export function finish(id: number): void {
  queue = queue.filter((q) => q.id !== id);
  emit();
}

export function setCommitting(id: number, committing: boolean): void {
  queue = queue.map((q) => (q.id === id ? { ...q, committing } : q));
  emit();
}

/** Cancels every waiting file; one being imported stays until its import ends. */
export function clearQueue(): void {
  queue = queue.filter((q) => q.committing);
  emit();
}

export function setCurrentFormat(format: string | null): void {
  const [head, ...rest] = queue;
  if (!head) return;
  queue = [{ ...head, id: nextId++, format }, ...rest];
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => queue;

/** The queue as it is now (for "Import all", which takes every file waiting). */
export function queueSnapshot(): QueuedFile[] {
  return queue;
}

export function useImportQueue(): QueuedFile[] {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function isCsvLike(path: string): boolean {
  return /\.(csv|tsv|txt)$/i.test(path);
}
