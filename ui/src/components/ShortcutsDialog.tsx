import { Dialog, Kbd } from "./ui";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const MOD = isMac ? "⌘" : "Ctrl";

const SHORTCUTS: Array<[string[], string]> = [
  [[MOD, "O"], "Import files"],
  [[MOD, "R"], "Sync now (once a platform is connected)"],
  [[MOD, "W"], "Close the window (Tributary stays in the tray)"],
  [["?"], "Show keyboard shortcuts"],
  [["G", "D"], "Go to Dashboard"],
  [["G", "I"], "Go to Imports"],
  [["G", "N"], "Go to Integrations"],
  [["G", "H"], "Go to Health"],
  [["G", "S"], "Go to Settings"],
  [["Esc"], "Close a dialog"],
  [["Tab"], "Move between controls"],
];

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" testId="shortcuts-dialog">
      <ul className="divide-y divide-line">
        {SHORTCUTS.map(([keysList, label]) => (
          <li key={label} className="flex items-center justify-between py-2 text-[13px]">
            <span className="text-fg">{label}</span>
            <span className="flex gap-1">{keysList.map((k) => <Kbd key={k}>{k}</Kbd>)}</span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
