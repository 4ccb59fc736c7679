import { describe, expect, it } from "vitest";
import { PLATFORMS, platformColorSlot } from "./platforms";

describe("platform colours", () => {
  it("gives every known platform its own slot, and the next others the free ones", () => {
    const known = PLATFORMS.map((p) => platformColorSlot(p.slug));
    expect(new Set(known).size).toBe(PLATFORMS.length);
    const others = ["hausbank", "kofi", "substack"].map(platformColorSlot);
    expect(new Set([...known, ...others]).size).toBe(PLATFORMS.length + 3);
    expect(platformColorSlot("hausbank")).toBe(others[0]);
  });
});
