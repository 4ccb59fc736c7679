// Typed wrappers over the app's IPC commands (see docs/ipc.md). Every failure is normalised to
// an `IpcError`, which carries the backend's `CommandError` fields (code, message, hint).
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AppInfo,
  BatchRecord,
  CommandError,
  ConnectablePlatform,
  ConnectionRecord,
  CredentialCheck,
  CsvSample,
  Dashboard,
  DashboardQuery,
  EmailSettings,
  ErrorCode,
  Figures,
  FileImport,
  FormatInfo,
  HealthView,
  ImportProgress,
  LedgerStatus,
  MappingDraft,
  MappingList,
  PlatformHeld,
  Schedule,
  Settings,
  SyncProgress,
  SyncReport,
  TimeZoneInfo,
  UndoReport,
} from "./bindings";

export class IpcError extends Error implements CommandError {
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly retry: boolean;
  constructor(error: CommandError) {
    super(error.message);
    this.name = "IpcError";
    this.code = error.code;
    this.hint = error.hint ?? null;
    this.retry = error.retry;
  }
}

/** Turns whatever a rejected invoke (or anything else) threw into a CommandError. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof IpcError) return { code: error.code, message: error.message, hint: error.hint, retry: error.retry };
  // Whatever did not come from the backend's CommandError is the window's own trouble: "internal".
  if (typeof error === "string") return { code: "internal", message: error, hint: null, retry: true };
  if (error && typeof error === "object") {
    const e = error as Record<string, unknown>;
    if (typeof e.message === "string") {
      return {
        // The backend only sends codes of its ErrorCode (the bindings' union).
        code: typeof e.code === "string" ? (e.code as ErrorCode) : "internal",
        message: e.message,
        hint: typeof e.hint === "string" ? e.hint : null,
        // Only the backend knows when asking again cannot help; anything else may be worth another try.
        retry: e.retry !== false,
      };
    }
  }
  return { code: "internal", message: String(error), hint: null, retry: true };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw new IpcError(toCommandError(error));
  }
}

export const appInfo = () => call<AppInfo>("app_info");
export const ledgerStatus = () => call<LedgerStatus>("ledger_status");
/** Relative periods ("this month") count from today in the ledger's time zone, which the engine knows. */
export const dashboard = (query: DashboardQuery) => call<Dashboard>("dashboard", { query });
export const timeZone = () => call<TimeZoneInfo>("time_zone");
/** Chooses the zone days are counted in (null: the system's); the ledger's days are counted again in it. */
export const setTimeZone = (zone: string | null) => call<TimeZoneInfo>("set_time_zone", { zone });
export const previewImport = (path: string, format: string | null = null) =>
  call<FileImport>("preview_import", { path, format });

export function commitImport(
  path: string,
  format: string | null,
  onProgress?: (progress: ImportProgress) => void,
): Promise<FileImport> {
  const channel = new Channel<ImportProgress>();
  if (onProgress) channel.onmessage = onProgress;
  return call<FileImport>("commit_import", { path, format, onProgress: channel });
}

export const connectablePlatforms = () => call<ConnectablePlatform[]>("connectable_platforms");
export const listConnections = () => call<ConnectionRecord[]>("list_connections");
/** The key is checked with the platform before it is kept (in the system keyring); it never comes back. */
export const connectWithKey = (platform: string, key: string, account: string | null) => call<ConnectionRecord>("connect_with_key", { platform, key, name: null, account });
/** The accounts a platform's events are under; with several, a new connection asks which. */
export const platformAccounts = (platform: string) => call<string[]>("platform_accounts", { platform });
/** Signs in through the system browser; `onUrl` gets the address only when no browser could be opened. */
export function signInWithBrowser(platform: string, account: string | null, onUrl?: (url: string) => void): Promise<ConnectionRecord> {
  const channel = new Channel<string>();
  if (onUrl) channel.onmessage = onUrl;
  return call<ConnectionRecord>("sign_in_with_browser", { platform, account, onUrl: channel });
}
export const cancelSignIn = () => call<null>("cancel_sign_in");
export function syncConnection(name: string, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
  const channel = new Channel<SyncProgress>();
  if (onProgress) channel.onmessage = onProgress;
  return call<SyncReport>("sync_connection", { name, onProgress: channel });
}
export const renameConnection = (name: string, newName: string) => call<ConnectionRecord>("rename_connection", { name, newName });
export const disconnect = (name: string) => call<ConnectionRecord>("disconnect", { name });
/** Every connection's health and the line about all of them (the sidebar's, the tray's). */
export const health = () => call<HealthView>("health");
/** "Check now": whether the platform still accepts the saved credential; a refusal is an answer. */
export const checkConnection = (name: string) => call<CredentialCheck>("check_connection", { name });
export const setSyncingPaused = (paused: boolean) => call<boolean>("set_syncing_paused", { paused });
export const setConnectionPaused = (name: string, paused: boolean) => call<Schedule>("set_connection_paused", { name, paused });
export const setSyncEvery = (name: string, everySecs: number) => call<Schedule>("set_sync_every", { name, everySecs });

/** Files given on the command line or by a second launch that the window has not opened yet. */
export const takeOpenedFiles = () => call<string[]>("take_opened_files");
export const listBatches = () => call<BatchRecord[]>("list_batches");
export const undoPreview = (id: number) => call<Figures[]>("undo_preview", { id });
export const undoBatch = (id: number) => call<UndoReport>("undo_batch", { id });
export const listFormats = () => call<FormatInfo[]>("list_formats");
export const exportLedger = (path: string) => call<number>("export_ledger", { path });
export const exportTable = (path: string, rows: string[][]) => call<number>("export_table", { path, rows });
export const platformsHeld = () => call<PlatformHeld[]>("platforms_held");
export const listMappings = () => call<MappingList>("list_mappings");
export const retitleMapping = (name: string, title: string) => call<FormatInfo>("retitle_mapping", { name, title });
export const removeMapping = (name: string) => call<null>("remove_mapping", { name });
export const csvSample = (path: string) => call<CsvSample>("csv_sample", { path });
export const previewMapping = (path: string, draft: MappingDraft) =>
  call<FileImport>("preview_mapping", { path, draft });
export const saveMapping = (draft: MappingDraft) => call<FormatInfo>("save_mapping", { draft });
export const getSettings = () => call<Settings>("get_settings");
export const setSettings = (settings: Settings) => call<Settings>("set_settings", { settings });
export const openDataFolder = () => call<void>("open_data_folder");
/** Email alerts as set up (null: off); never their key or password. */
export const emailAlerts = () => call<EmailSettings | null>("email_alerts");
/** `secret` (Resend's API key or the SMTP password) replaces the saved one when given; it never comes back. */
export const setEmailAlerts = (settings: EmailSettings, secret: string | null) => call<EmailSettings>("set_email_alerts", { settings, secret });
/** Sends a test email now, the way alerts go; what the server answered. */
export const sendTestEmail = () => call<string>("send_test_email");
export const removeEmailAlerts = () => call<null>("remove_email_alerts");
export const loadDemo = () => call<AppInfo>("load_demo");
/** Tells the shell the window's first screen is up (`dashboard` with data, or the `empty` first run);
 * it logs the time since start once, for the startup benchmark. */
export const windowShown = (screen: "dashboard" | "empty") => call<void>("window_shown", { screen });
export const leaveDemo = () => call<AppInfo>("leave_demo");

/** The events the backend emits (see ipc.md). */
export const EVENTS = {
  ledgerChanged: "ledger-changed",
  openFile: "open-file",
  workspaceChanged: "workspace-changed",
} as const;
