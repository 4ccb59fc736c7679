// window.__tributary: what end-to-end tests (and the tray) use instead of a drop or a file dialog.
import { enqueueFiles } from "./importQueue";

declare global {
  interface Window {
    __tributary?: { previewFile: (path: string) => void };
  }
}

export function registerBridge(): void {
  window.__tributary = {
    previewFile: (path: string) => enqueueFiles([path]),
  };
}
