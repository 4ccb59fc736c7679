import { IconImport } from "./icons";

/** Full-window overlay while files are dragged over the window (driven by Tauri's drag-drop event). */
export function DropOverlay({ visible }: { visible: boolean }) {
  if (!visible) return null;
  return (
    <div data-testid="drop-overlay" className="fade-in pointer-events-none fixed inset-0 z-[70] bg-overlay p-4 backdrop-blur-[2px]" role="status" aria-live="polite">
      <div className="grid size-full place-items-center rounded-2xl border-2 border-dashed border-accent bg-accent/5">
        <div className="flex flex-col items-center gap-2 rounded-2xl border border-line bg-surface px-10 py-8 text-center shadow-pop">
          <div className="grid size-12 place-items-center rounded-full bg-accent-soft text-accent-text">
            <IconImport size={24} />
          </div>
          <p className="mt-1 text-lg font-semibold text-fg">Drop to preview import</p>
          <p className="text-[13px] text-muted">Nothing is written until you confirm the preview.</p>
        </div>
      </div>
    </div>
  );
}
