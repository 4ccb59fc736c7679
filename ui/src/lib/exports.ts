// Saving from the window: the whole ledger as Tributary's CSV, or a table on screen as CSV, each to the
// file the creator picks in the system's save dialog. Money in the saved table is plain decimals in the
// currency's units ("1234.56"), beside its currency, so that a spreadsheet reads it as numbers.
import { save } from "@tauri-apps/plugin-dialog";
import { toast } from "../components/toast";
import * as ipc from "../ipc";
import { formatCount, toDay } from "./format";
import { plural } from "./plural";

const CSV = [{ name: "CSV", extensions: ["csv"] }];

async function pick(title: string, defaultPath: string): Promise<string | null> {
  try {
    return await save({ title, defaultPath, filters: CSV });
  } catch (error) {
    toast({ tone: "error", title: "Could not open the save dialog", description: ipc.toCommandError(error).message });
    return null;
  }
}

/** Saves every event as ledger CSV (what `tributary export` writes). */
export async function saveLedger(): Promise<void> {
  const path = await pick("Export the ledger", `tributary-ledger-${toDay(new Date())}.csv`);
  if (!path) return;
  try {
    const events = await ipc.exportLedger(path);
    toast({ tone: "success", title: "Ledger exported", description: `${formatCount(events)} ${plural(events, "event", "events")} in ${path}` });
  } catch (error) {
    toast({ tone: "error", title: "Could not export the ledger", description: ipc.toCommandError(error).message });
  }
}

/** Saves `rows` (the header first) as a CSV file named like `name`. */
export async function saveTable(name: string, rows: string[][]): Promise<void> {
  const path = await pick("Save the table as CSV", name);
  if (!path) return;
  try {
    const written = await ipc.exportTable(path, rows);
    toast({ tone: "success", title: "Table saved", description: `${formatCount(written)} ${plural(written, "row", "rows")} in ${path}` });
  } catch (error) {
    toast({ tone: "error", title: "Could not save the table", description: ipc.toCommandError(error).message });
  }
}
