import type { ComponentType } from "react";
import { formatRelative } from "../lib/format";
import { LEVEL_DOT } from "../lib/healthWords";
import { platformName } from "../lib/platforms";
import { useAppInfo, useHealth } from "../lib/queries";
import { navigate, type Page } from "../lib/router";
import { IconDashboard, IconImport, IconKeyboard, IconPlug, IconPulse, IconSettings } from "./icons";
import { cx } from "./ui";

const NAV: Array<{ page: Page; label: string; icon: ComponentType<{ size?: number }> }> = [
  { page: "dashboard", label: "Dashboard", icon: IconDashboard },
  { page: "imports", label: "Imports", icon: IconImport },
  { page: "integrations", label: "Integrations", icon: IconPlug },
  { page: "health", label: "Health", icon: IconPulse },
  { page: "settings", label: "Settings", icon: IconSettings },
];

function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className="text-accent">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <path d="M6 7c3 0 4 3 6 3s3-3 6-3M6 12c3 0 4 3 6 3s3-3 6-3M12 15v4" stroke="white" strokeWidth="1.8" fill="none" strokeLinecap="round" />
    </svg>
  );
}

export function Sidebar({ page, onShortcuts }: { page: Page; onShortcuts: () => void }) {
  const info = useAppInfo();
  return (
    <aside className="flex w-[212px] shrink-0 flex-col border-r border-line bg-sidebar">
      <div className="flex h-14 items-center gap-2.5 px-4">
        <Logo />
        <span className="text-[15px] font-semibold tracking-tight text-fg">Tributary</span>
        {info.data?.workspace === "demo" ? (
          <span className="ml-auto rounded-full bg-accent-soft px-1.5 text-[11px] font-medium text-accent-text">Demo</span>
        ) : null}
      </div>
      <nav aria-label="Main" className="flex-1 px-2.5 pt-1">
        <ul className="flex flex-col gap-0.5">
          {NAV.map(({ page: p, label, icon: Icon }) => {
            const active = p === page;
            return (
              <li key={p}>
                <button
                  type="button"
                  data-testid={`nav-${p}`}
                  aria-current={active ? "page" : undefined}
                  onClick={() => navigate(p)}
                  className={cx(
                    "flex h-8 w-full items-center gap-2.5 rounded-md px-2.5 text-[13.5px] font-medium transition-colors",
                    active ? "bg-surface text-fg shadow-card ring-1 ring-line" : "text-muted hover:bg-surface-2 hover:text-fg",
                  )}
                >
                  <Icon size={16} />
                  {label}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="flex flex-col gap-1 border-t border-line p-2.5">
        <button
          type="button"
          onClick={onShortcuts}
          className="flex h-7 items-center gap-2 rounded-md px-2.5 text-[12.5px] text-subtle hover:bg-surface-2 hover:text-fg"
        >
          <IconKeyboard size={14} /> Shortcuts <span className="ml-auto text-[11px]">?</span>
        </button>
        <button
          type="button"
          data-testid="sync-state"
          onClick={() => navigate("health")}
          title="Open Health"
          className="flex items-center gap-2.5 rounded-md px-2.5 py-2 text-left hover:bg-surface-2"
        >
          <ConnectionsLine />
        </button>
      </div>
    </aside>
  );
}

/** The connections at a glance: none, all well ("Synced 4 minutes ago"), or what needs the person
 * (the same line the tray shows). */
function ConnectionsLine() {
  const health = useHealth();
  const live = (health.data?.connections ?? []).filter((h) => h.state !== "disconnected");
  const summary = health.data?.summary;
  const lastSuccess = live.map((h) => h.last_success_at).filter((t): t is string => !!t).sort().at(-1);
  const names = live.map((h) => platformName(h.platform)).filter((n, i, all) => all.indexOf(n) === i).join(", ");
  const [dot, title, line] =
    !summary || live.length === 0
      ? ["border border-subtle", "No connections yet", "File imports only"]
      : summary.level !== "normal"
        ? [LEVEL_DOT[summary.level], summary.line, "Open Health to see what to do"]
        : [
            LEVEL_DOT.normal,
            live.some((h) => h.state === "syncing") ? summary.line : lastSuccess ? `Synced ${formatRelative(lastSuccess)}` : summary.line,
            names,
          ];
  return (
    <>
      <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", dot)} />
      <span className="min-w-0">
        <span className="line-clamp-2 block text-[12.5px] font-medium text-fg" data-testid="sync-state-line">{title}</span>
        <span className="block truncate text-[11.5px] text-subtle">{line}</span>
      </span>
    </>
  );
}
