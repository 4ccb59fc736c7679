// Keyboard focus for what replaces a control that went away: after an import the preview (and its
// Import button) is gone, and the browser would leave focus on <body>, sending a keyboard user back to
// the top of the window. What mounts in its place takes focus, but only when nothing else holds it.
import { useEffect, type RefObject } from "react";

/** True when focus is nowhere (on <body>, after the focused element was removed). */
function focusIsLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

/** Focuses `ref` when it mounts, if focus was lost. */
export function useFocusIfLost(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (focusIsLost()) ref.current?.focus({ preventScroll: true });
  }, [ref]);
}
