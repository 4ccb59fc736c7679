// Formats by the titles `tributary formats` prints ("KDP Prior Month's Royalties", "Gumroad sales
// export"), not their machine names (`gumroad-sales`), wherever the window names one.
import { useQuery } from "@tanstack/react-query";
import type { FormatInfo } from "../bindings";
import * as ipc from "../ipc";
import { keys } from "./queries";

export function formatTitle(name: string, formats: readonly FormatInfo[] | undefined): string {
  const found = formats?.find((f) => f.name === name);
  if (found?.title) return found.title;
  // A saved mapping, or a format this build no longer lists: its name, readable.
  return name.replace(/^mapping:/, "").replace(/[-_]+/g, " ");
}

/** The title without its parenthesis ("KDP Dashboard or Prior Months' Royalties workbook"), for a
 *  line with other facts beside it; the whole title goes on hover. */
export function shortTitle(title: string): string {
  const cut = title.indexOf(" (");
  return cut > 0 ? title.slice(0, cut) : title;
}

/** `formatTitle` over the app's list of formats (built-in ones and saved mappings). */
export function useFormatTitle(): (name: string) => string {
  const formats = useQuery({ queryKey: keys.formats, queryFn: ipc.listFormats, staleTime: 60_000 });
  return (name) => formatTitle(name, formats.data);
}
