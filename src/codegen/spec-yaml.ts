/**
 * Upstream publishes JSON; we keep the spec of record as YAML (reviewable diffs,
 * same data). The conversion is one pure function, so `spec:update` applying a
 * revision and then the previous one again restores spec/ byte for byte.
 */
import { Document, isScalar, visit } from "yaml";

/**
 * Strings YAML 1.1 parsers (PyYAML, older tools) would read as something else if written plain: the
 * "value" and merge keys, booleans such as `yes`/`off`, timestamps, sexagesimal numbers. Quoted, every parser reads a string.
 */
const AMBIGUOUS_IN_YAML_1_1 = /^(=|<<|y|n|yes|no|on|off|true|false|\d{4}-\d\d?-\d\d?([Tt ].*)?|[-+]?\d[\d_]*(:[0-5]?\d)+(\.\d*)?)$/i;

/** The same data as YAML: no line folding, no anchors, keys in the order upstream wrote them. */
export function specJsonToYaml(json: string): string {
  const doc = new Document(JSON.parse(json), { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === "string" && AMBIGUOUS_IN_YAML_1_1.test(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ lineWidth: 0 });
}
