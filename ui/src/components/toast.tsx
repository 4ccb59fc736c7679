// Toasts: `toast({...})` from anywhere; <Toaster/> renders them with Radix Toast (role=status, swipe,
// F8 to focus the viewport).
import * as ToastPrimitive from "@radix-ui/react-toast";
import { useSyncExternalStore } from "react";
import { IconAlert, IconCheck, IconInfo, IconX } from "./icons";
import { cx } from "./ui";

export interface ToastInput {
  title: string;
  description?: string;
  tone?: "success" | "error" | "info";
}
interface ToastItem extends ToastInput {
  id: number;
  open: boolean;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function toast(input: ToastInput): void {
  items = [...items.slice(-3), { ...input, id: nextId++, open: true }];
  emit();
}

function close(id: number) {
  items = items.map((t) => (t.id === id ? { ...t, open: false } : t));
  emit();
  setTimeout(() => {
    items = items.filter((t) => t.id !== id);
    emit();
  }, 200);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => items;

export function resetToasts(): void {
  items = [];
  emit();
}

export function Toaster() {
  const list = useSyncExternalStore(subscribe, snapshot, snapshot);
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={6000}>
      {list.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          open={t.open}
          onOpenChange={(open) => !open && close(t.id)}
          data-testid="toast"
          data-tone={t.tone ?? "info"}
          className="toast flex w-[360px] items-start gap-3 rounded-xl border border-line bg-surface p-3.5 shadow-pop"
        >
          <span
            className={cx(
              "mt-0.5 grid size-5 shrink-0 place-items-center rounded-full",
              t.tone === "error" ? "bg-negative-soft text-negative" : t.tone === "success" ? "bg-positive-soft text-positive" : "bg-accent-soft text-accent-text",
            )}
          >
            {t.tone === "error" ? <IconAlert size={12} /> : t.tone === "success" ? <IconCheck size={12} /> : <IconInfo size={12} />}
          </span>
          <div className="min-w-0 flex-1">
            <ToastPrimitive.Title className="text-[13px] font-semibold text-fg">{t.title}</ToastPrimitive.Title>
            {t.description ? (
              <ToastPrimitive.Description className="mt-0.5 text-[13px] text-muted">{t.description}</ToastPrimitive.Description>
            ) : null}
          </div>
          <ToastPrimitive.Close aria-label="Dismiss" className="rounded p-0.5 text-subtle hover:text-fg">
            <IconX size={14} />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed right-4 bottom-4 z-[60] flex max-w-[100vw] flex-col gap-2 rounded-xl focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent" />
    </ToastPrimitive.Provider>
  );
}
