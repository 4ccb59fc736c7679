// The small set of our own components: buttons, cards, skeletons, badges, states, segmented controls,
// switches, dialogs and tooltips on Radix primitives.
import * as DialogPrimitive from "@radix-ui/react-dialog";
import * as SwitchPrimitive from "@radix-ui/react-switch";
import * as TooltipPrimitive from "@radix-ui/react-tooltip";
import { forwardRef, useRef, type ButtonHTMLAttributes, type ReactNode } from "react";
import type { CommandError } from "../bindings";
import { toCommandError } from "../ipc";
import { IconAlert, IconRefresh, IconX } from "./icons";

export function cx(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}

type Variant = "primary" | "secondary" | "ghost" | "danger" | "quiet";
type Size = "sm" | "md" | "lg";

const variants: Record<Variant, string> = {
  primary: "bg-accent text-accent-fg hover:bg-accent-hover shadow-card border border-transparent",
  secondary: "bg-surface text-fg border border-line-strong hover:bg-surface-2 shadow-card",
  ghost: "text-muted hover:text-fg hover:bg-surface-2 border border-transparent",
  danger: "bg-negative text-white dark:text-[#1a0b0b] hover:opacity-90 border border-transparent",
  quiet: "text-accent-text hover:underline underline-offset-4 border border-transparent",
};
const sizes: Record<Size, string> = {
  sm: "h-7 px-2.5 text-[13px] gap-1.5 rounded-md",
  md: "h-8 px-3 text-[13px] gap-2 rounded-md",
  lg: "h-10 px-4 text-sm gap-2 rounded-lg",
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "md", className, type = "button", ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={cx(
        "inline-flex items-center justify-center font-medium whitespace-nowrap select-none transition-colors",
        "disabled:opacity-50 disabled:pointer-events-none aria-disabled:opacity-55",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    />
  );
});

export function Card({ className, children, ...rest }: React.ComponentProps<"div">) {
  return (
    <div className={cx("rounded-xl border border-line bg-surface shadow-card", className)} {...rest}>
      {children}
    </div>
  );
}

export function CardHeader({ title, description, actions, className }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <div className={cx("flex items-start justify-between gap-4 px-5 pt-4 pb-3", className)}>
      <div className="min-w-0">
        <h2 className="text-[13px] font-semibold text-fg">{title}</h2>
        {description ? <p className="mt-0.5 text-[13px] text-subtle">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cx("skeleton", className)} />;
}

type Tone = "neutral" | "accent" | "positive" | "negative" | "warning";
const tones: Record<Tone, string> = {
  neutral: "bg-surface-2 text-muted border-line",
  accent: "bg-accent-soft text-accent-text border-transparent",
  positive: "bg-positive-soft text-positive border-transparent",
  negative: "bg-negative-soft text-negative border-transparent",
  warning: "bg-warning-soft text-warning border-transparent",
};

export function Badge({ tone = "neutral", className, children, ...rest }: React.HTMLAttributes<HTMLSpanElement> & { tone?: Tone }) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1 rounded-full border px-2 py-px text-[11.5px] font-medium leading-[18px] whitespace-nowrap",
        tones[tone],
        className,
      )}
      {...rest}
    >
      {children}
    </span>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-x-6 gap-y-3 pb-5">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight text-fg">{title}</h1>
        {description ? <p className="mt-1 text-[13px] text-subtle">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}

/** A failed load: the backend's message and hint, and Retry where asking again can help. */
export function ErrorState({ error, onRetry, title = "Something went wrong", compact }: { error: unknown; onRetry?: () => void; title?: string; compact?: boolean }) {
  const e: CommandError = toCommandError(error);
  return (
    <div
      role="alert"
      data-testid="error-state"
      data-code={e.code}
      className={cx(
        "flex gap-3 rounded-xl border border-negative/30 bg-negative-soft text-fg",
        compact ? "p-3" : "p-5",
      )}
    >
      <IconAlert size={18} className="mt-0.5 shrink-0 text-negative" />
      <div className="min-w-0 flex-1">
        <p className="font-semibold">{title}</p>
        <p className="mt-1 break-words text-[13px] text-fg" data-testid="error-message">{e.message}</p>
        {e.hint ? <p className="mt-1 text-[13px] text-muted" data-testid="error-hint">{e.hint}</p> : null}
        {onRetry && e.retry ? (
          <Button className="mt-3" size="sm" onClick={onRetry}>
            <IconRefresh size={14} /> Retry
          </Button>
        ) : null}
      </div>
    </div>
  );
}

export function EmptyState({ icon, title, children, actions, className }: { icon?: ReactNode; title: string; children?: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <div className={cx("flex flex-col items-center px-6 py-12 text-center", className)}>
      {icon ? <div className="mb-3 grid size-10 place-items-center rounded-full bg-surface-2 text-muted">{icon}</div> : null}
      <p className="text-sm font-semibold text-fg">{title}</p>
      {children ? <div className="mt-1 max-w-md text-[13px] text-subtle">{children}</div> : null}
      {actions ? <div className="mt-4 flex flex-wrap justify-center gap-2">{actions}</div> : null}
    </div>
  );
}

export interface SegmentOption<T extends string> {
  value: T;
  label: string;
  testId?: string;
}

/** A row of toggle buttons (aria-pressed), arrow keys move between them. */
export function Segmented<T extends string>({ label, options, value, onChange, className }: { label: string; options: SegmentOption<T>[]; value: T; onChange: (v: T) => void; className?: string }) {
  return (
    <div role="group" aria-label={label} className={cx("inline-flex rounded-lg border border-line bg-surface-2 p-0.5", className)}
      onKeyDown={(e) => {
        if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
        const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>("button"));
        const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (i < 0) return;
        const next = buttons[(i + (e.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
        next?.focus();
        e.preventDefault();
      }}
    >
      {options.map((o) => {
        const active = o.value === value;
        return (
          <button
            key={o.value}
            type="button"
            aria-pressed={active}
            data-testid={o.testId}
            onClick={() => onChange(o.value)}
            className={cx(
              "h-7 rounded-md px-2.5 text-[13px] font-medium whitespace-nowrap transition-colors",
              active ? "bg-surface text-fg shadow-card" : "text-muted hover:text-fg",
            )}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}

export function Switch({ id, checked, onCheckedChange, disabled, testId, label }: { id: string; checked: boolean; onCheckedChange: (v: boolean) => void; disabled?: boolean; testId?: string; label?: string }) {
  return (
    <SwitchPrimitive.Root
      id={id}
      checked={checked}
      onCheckedChange={onCheckedChange}
      disabled={disabled}
      data-testid={testId}
      aria-label={label}
      className="relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border border-line-strong bg-surface-3 transition-colors data-[state=checked]:border-transparent data-[state=checked]:bg-accent disabled:opacity-50"
    >
      <SwitchPrimitive.Thumb className="block size-4 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[17px]" />
    </SwitchPrimitive.Root>
  );
}

/** A modal dialog opened from state (no Radix trigger), so it gives focus back itself when it closes: to
 * what `returnFocus` names, else to what had focus when it opened, if that is still on the page. */
export function Dialog({ open, onOpenChange, title, description, children, footer, wide, testId, returnFocus }: { open: boolean; onOpenChange: (open: boolean) => void; title: string; description?: ReactNode; children?: ReactNode; footer?: ReactNode; wide?: boolean; testId?: string; returnFocus?: () => HTMLElement | null }) {
  const opener = useRef<HTMLElement | null>(null);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fade-in fixed inset-0 z-40 bg-overlay" />
        <DialogPrimitive.Content
          data-testid={testId}
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const target = returnFocus?.() ?? opener.current;
            if (target?.isConnected) target.focus();
          }}
          aria-describedby={description ? undefined : undefined}
          className={cx(
            "fade-in fixed top-1/2 left-1/2 z-50 max-h-[85vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded-xl border border-line bg-surface p-5 shadow-pop",
            wide ? "max-w-2xl" : "max-w-md",
          )}
        >
          <div className="flex items-start justify-between gap-4">
            <DialogPrimitive.Title className="text-base font-semibold text-fg">{title}</DialogPrimitive.Title>
            <DialogPrimitive.Close asChild>
              <button type="button" aria-label="Close" className="-m-1 rounded-md p-1 text-subtle hover:bg-surface-2 hover:text-fg">
                <IconX size={16} />
              </button>
            </DialogPrimitive.Close>
          </div>
          {description ? (
            <DialogPrimitive.Description className="mt-1.5 text-[13px] text-muted">{description}</DialogPrimitive.Description>
          ) : (
            <DialogPrimitive.Description className="sr-only">{title}</DialogPrimitive.Description>
          )}
          {children ? <div className="mt-4">{children}</div> : null}
          {footer ? <div className="mt-5 flex justify-end gap-2">{footer}</div> : null}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

export function Tooltip({ content, children, side = "top" }: { content: ReactNode; children: ReactNode; side?: "top" | "bottom" | "left" | "right" }) {
  return (
    <TooltipPrimitive.Root delayDuration={250}>
      <TooltipPrimitive.Trigger asChild>{children}</TooltipPrimitive.Trigger>
      <TooltipPrimitive.Portal>
        <TooltipPrimitive.Content
          side={side}
          sideOffset={6}
          className="z-50 rounded-md bg-fg px-2 py-1 text-xs font-medium text-canvas shadow-pop"
        >
          {content}
          <TooltipPrimitive.Arrow className="fill-fg" />
        </TooltipPrimitive.Content>
      </TooltipPrimitive.Portal>
    </TooltipPrimitive.Root>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="inline-flex h-5 min-w-5 items-center justify-center rounded border border-line-strong bg-surface-2 px-1 font-sans text-[11px] font-medium text-muted">
      {children}
    </kbd>
  );
}

export function Field({ label, htmlFor, children, hint }: { label: string; htmlFor: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-[12.5px] font-medium text-muted">{label}</label>
      {children}
      {hint ? <p className="text-[12px] text-subtle">{hint}</p> : null}
    </div>
  );
}

export const inputClass =
  "h-8 w-full rounded-md border border-line-strong bg-surface px-2.5 text-[13px] text-fg placeholder:text-subtle focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus";
