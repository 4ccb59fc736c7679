import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { describe, expect, it } from "vitest";
import type { ImportProgress } from "./bindings";
import * as ipc from "./ipc";

describe("ipc wrappers", () => {
  it("pass camelCase arguments and return the payload", async () => {
    let seen: unknown;
    mockIPC((cmd, args) => {
      seen = { cmd, args };
      return [];
    });
    await ipc.previewImport("/tmp/a.csv");
    expect(seen).toEqual({ cmd: "preview_import", args: { path: "/tmp/a.csv", format: null } });
  });

  it("leave today to the engine, which counts it in the ledger's time zone", async () => {
    let seen: unknown;
    mockIPC((cmd, args) => {
      seen = { cmd, args };
      return null;
    });
    const query = { period: "this_month", from: null, to: null, bucket: "day" } as const;
    await ipc.dashboard(query);
    expect(seen).toEqual({ cmd: "dashboard", args: { query } });
  });

  it("choose a time zone, or the system's with null", async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      return null;
    });
    await ipc.setTimeZone("Europe/Berlin");
    await ipc.setTimeZone(null);
    expect(seen).toEqual([
      { cmd: "set_time_zone", args: { zone: "Europe/Berlin" } },
      { cmd: "set_time_zone", args: { zone: null } },
    ]);
  });

  it("normalise a rejected command to CommandError", async () => {
    mockIPC(() => {
      throw { code: "unknown_format", message: "a.csv: not recognised", hint: "Create a mapping", retry: false };
    });
    const error = await ipc.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ipc.IpcError);
    expect(ipc.toCommandError(error)).toEqual({ code: "unknown_format", message: "a.csv: not recognised", hint: "Create a mapping", retry: false });
  });

  it("normalise a bare string rejection", async () => {
    mockIPC(() => {
      throw "boom";
    });
    const error = await ipc.listBatches().catch((e: unknown) => e);
    expect(ipc.toCommandError(error)).toEqual({ code: "internal", message: "boom", hint: null, retry: true });
  });

  it("commit_import streams progress through a Channel", async () => {
    mockIPC((_cmd, args) => {
      const ch = (args as { onProgress: Channel<ImportProgress> }).onProgress;
      ch.onmessage({ rows: 10, bytes_read: 50, total_bytes: 100 });
      return { batch_id: 3 };
    });
    const seen: ImportProgress[] = [];
    const r = await ipc.commitImport("/tmp/a.csv", "stripe-payments", (p) => seen.push(p));
    expect(r.batch_id).toBe(3);
    expect(seen).toEqual([{ rows: 10, bytes_read: 50, total_bytes: 100 }]);
  });
});
