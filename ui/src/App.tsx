// The frame: sidebar, demo banner, the current page, the whole-window drop overlay, shortcuts, and the
// backend's events wired into the query cache.
import * as TooltipPrimitive from "@radix-ui/react-tooltip";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { useEffect, useState } from "react";
import type { AppInfo } from "./bindings";
import { DropOverlay } from "./components/DropOverlay";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { Sidebar } from "./components/Sidebar";
import { toast, Toaster } from "./components/toast";
import { Button } from "./components/ui";
import { IconSparkle } from "./components/icons";
import * as ipc from "./ipc";
import { openImportDialog } from "./lib/actions";
import { enqueueFiles, useImportQueue } from "./lib/importQueue";
import { invalidateLedger, keys, useAppInfo, useSettings } from "./lib/queries";
import { navigate, usePage, type Page } from "./lib/router";
import { applyTheme } from "./lib/theme";
import { DashboardPage } from "./pages/Dashboard";
import { HealthPage } from "./pages/Health";
import { ImportsPage } from "./pages/Imports";
import { IntegrationsPage } from "./pages/Integrations";
import { SettingsPage } from "./pages/Settings";

async function openWaitingFiles(): Promise<void> {
  try {
    const paths = await ipc.takeOpenedFiles();
    if (Array.isArray(paths) && paths.length) enqueueFiles(paths);
  } catch {
    /* an older backend without the command: the event's payload is all there is */
  }
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

const GOTO: Record<string, Page> = { d: "dashboard", i: "imports", n: "integrations", h: "health", s: "settings" };

export default function App() {
  const client = useQueryClient();
  const page = usePage();
  const [dragging, setDragging] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const settings = useSettings();

  // The theme the backend remembers wins once it is known.
  const theme = settings.data?.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);

  // Backend events → cache.
  useEffect(() => {
    const offs: Array<Promise<UnlistenFn | undefined>> = [];
    // Outside Tauri (a plain browser) listening fails; the app then just has no events.
    const add = (p: Promise<UnlistenFn>) => offs.push(p.catch(() => undefined));
    try {
      add(listen(ipc.EVENTS.ledgerChanged, () => void invalidateLedger(client)));
      add(
        listen<AppInfo>(ipc.EVENTS.workspaceChanged, (e) => {
          if (e.payload) client.setQueryData(keys.appInfo, e.payload);
          void client.invalidateQueries();
        }),
      );
      // `open-file` may carry the path, or nothing: the paths then wait in take_opened_files.
      add(
        listen<string | null>(ipc.EVENTS.openFile, (e) => {
          if (typeof e.payload === "string" && e.payload) enqueueFiles([e.payload]);
          void openWaitingFiles();
        }),
      );
      void openWaitingFiles();
    } catch {
      /* not inside Tauri (plain browser): no events */
    }
    return () => {
      offs.forEach((p) => void p.then((off) => off?.()).catch(() => undefined));
    };
  }, [client]);

  // Files dragged onto the window.
  useEffect(() => {
    let off: Promise<UnlistenFn | undefined> | null = null;
    try {
      off = getCurrentWebview().onDragDropEvent((event) => {
        const p = event.payload;
        if (p.type === "enter" || p.type === "over") setDragging(true);
        else if (p.type === "leave") setDragging(false);
        else if (p.type === "drop") {
          setDragging(false);
          if (p.paths.length) enqueueFiles(p.paths);
        }
      }).catch(() => undefined);
    } catch {
      off = null;
    }
    return () => {
      void off?.then((u) => u?.()).catch(() => undefined);
    };
  }, []);

  // Keyboard shortcuts.
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "o") {
        e.preventDefault();
        void openImportDialog();
        return;
      }
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "w") {
        // Closes the window: Tributary stays in the tray when the settings say so, else quits.
        e.preventDefault();
        void getCurrentWindow().close();
        return;
      }
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "r") {
        e.preventDefault();
        toast({ title: "Nothing to sync yet", description: "Sync arrives with platform connections. File imports work today." });
        return;
      }
      if (mod || e.altKey || isTyping(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        setShortcutsOpen(true);
        return;
      }
      if (e.key === "g") {
        pendingG = Date.now();
        return;
      }
      const target = GOTO[e.key];
      if (target && Date.now() - pendingG < 1200) {
        pendingG = 0;
        navigate(target);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <TooltipPrimitive.Provider delayDuration={250}>
      <div className="flex h-full min-h-0">
        <Sidebar page={page} onShortcuts={() => setShortcutsOpen(true)} />
        <main id="main" className="min-w-0 flex-1 overflow-y-auto" tabIndex={-1}>
          <DemoBanner />
          <div className="mx-auto w-full max-w-[1180px] px-6 py-6 lg:px-8 lg:py-7">
            {page === "dashboard" && <DashboardPage />}
            {page === "imports" && <ImportsPage />}
            {page === "integrations" && <IntegrationsPage />}
            {page === "health" && <HealthPage />}
            {page === "settings" && <SettingsPage />}
          </div>
        </main>
      </div>
      <DropOverlay visible={dragging} />
      <ShortcutsDialog open={shortcutsOpen} onOpenChange={setShortcutsOpen} />
      <Toaster />
    </TooltipPrimitive.Provider>
  );
}

function DemoBanner() {
  const info = useAppInfo();
  const client = useQueryClient();
  // Leaving removes the demo folder: not while an import is being written into it.
  const importing = useImportQueue().some((q) => q.committing);
  const leave = useMutation({
    mutationFn: ipc.leaveDemo,
    onSuccess: (next) => {
      client.setQueryData(keys.appInfo, next);
      void client.invalidateQueries();
    },
    onError: (error) => toast({ tone: "error", title: "Could not leave the demo", description: ipc.toCommandError(error).message }),
  });
  if (info.data?.workspace !== "demo") return null;
  return (
    <div
      data-testid="demo-banner"
      role="status"
      className="sticky top-0 z-20 flex items-center gap-3 border-b border-line bg-accent-soft px-6 py-2 text-[13px] text-fg lg:px-8"
    >
      <IconSparkle size={15} className="text-accent-text" />
      <p className="min-w-0 flex-1">
        <span className="font-semibold">You're looking at demo data.</span>{" "}
        <span className="text-muted">Your own ledger is untouched and comes back when you leave.</span>
      </p>
      <Button size="sm" data-testid="leave-demo" onClick={() => leave.mutate()} disabled={leave.isPending || importing} title={importing ? "An import is being written; leave when it ends" : undefined}>
        Leave demo
      </Button>
    </div>
  );
}
