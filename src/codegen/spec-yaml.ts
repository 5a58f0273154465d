/**
 * Upstream publishes JSON; we keep the spec of record as YAML (reviewable diffs,
 * same data). The conversion is one pure function, so `spec:update` applying a
 * revision and then the previous one again restores spec/ byte for byte.
 */
import { stringify } from "yaml";

/** The same data as YAML: no line folding, no anchors, keys in the order upstream wrote them. */
export function specJsonToYaml(json: string): string {
  return stringify(JSON.parse(json), { lineWidth: 0, aliasDuplicateObjects: false });
}
