// The files waiting for a preview: dropped, picked, sent by a second launch or window.__tributary. The
// first one is previewed; when it is imported or cancelled, the next one is.
import { useSyncExternalStore } from "react";
import { navigate } from "./router";

export interface QueuedFile {
  id: number;
  path: string;
  /** A format chosen for it (e.g. a mapping just saved); null lets the backend detect. */
  format: string | null;
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

export function finishCurrent(): void {
  queue = queue.slice(1);
  emit();
}

export function clearQueue(): void {
  queue = [];
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
