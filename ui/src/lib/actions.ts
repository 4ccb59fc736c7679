// Actions shared by the frame, pages and shortcuts.
import { open } from "@tauri-apps/plugin-dialog";
import { toast } from "../components/toast";
import { toCommandError } from "../ipc";
import { enqueueFiles } from "./importQueue";

export const IMPORT_FILTERS = [
  { name: "Reports", extensions: ["csv", "tsv", "txt", "xlsx", "xls"] },
  { name: "All files", extensions: ["*"] },
];

/** The system file dialog (several files at once); the picked files go to the preview queue. */
export async function openImportDialog(): Promise<void> {
  try {
    const picked = await open({ multiple: true, directory: false, title: "Import files", filters: IMPORT_FILTERS });
    if (!picked) return;
    const paths = Array.isArray(picked) ? picked : [picked];
    if (paths.length) enqueueFiles(paths);
  } catch (error) {
    const e = toCommandError(error);
    toast({ tone: "error", title: "Could not open the file dialog", description: e.message });
  }
}
