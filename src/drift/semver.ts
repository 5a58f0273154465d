/**
 * The release a change set calls for, by semantic versioning
 * (https://semver.org): any breaking change is a major release, any
 * non-breaking addition a minor one, documentation alone a patch.
 */
import type { Change } from "./change.js";

export type SemverBump = "major" | "minor" | "patch";

export function semverBump(changes: readonly Pick<Change, "severity">[]): SemverBump {
  if (changes.some((c) => c.severity === "breaking")) return "major";
  if (changes.some((c) => c.severity === "non-breaking")) return "minor";
  return "patch";
}
