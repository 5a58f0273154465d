/**
 * The drift rules: one stable kebab-case id per kind of change, with its
 * severity judged from the point of view of a TypeScript caller of the
 * generated facade (does code that compiled and worked yesterday still do so
 * after `npm run generate`?). Ids are public: CI logs, JSON consumers and
 * tests refer to them, so rename none.
 *
 * Direction matters: a request value is written by the caller, so narrowing
 * it breaks them and widening it does not; a response value is read by the
 * caller, so widening it (a new type, `null`, optionality) breaks them and
 * narrowing it does not.
 */

export type Severity = "breaking" | "non-breaking" | "info";

export interface Rule {
  severity: Severity;
  /** What the rule detects, for the report's legend and `--help`. */
  title: string;
}

export const RULES = {
  // ── breaking ────────────────────────────────────────────────────────────
  "operation-removed": { severity: "breaking", title: "an operation was removed (its facade method disappears)" },
  "path-parameter-removed": { severity: "breaking", title: "a path parameter was removed (positional arguments shift)" },
  "path-parameter-added": { severity: "breaking", title: "a path parameter was added (a new required positional argument)" },
  "path-parameters-reordered": { severity: "breaking", title: "path parameters swapped places (positional callers pass them in the wrong order)" },
  "request-params-shape-changed": { severity: "breaking", title: "the params argument switched between one merged object and { query, header, body }" },
  "request-parameter-added-required": { severity: "breaking", title: "a required query or header parameter was added" },
  "request-parameter-made-required": { severity: "breaking", title: "a query or header parameter became required" },
  "request-parameter-removed": { severity: "breaking", title: "a query or header parameter was removed (passing it is an excess-property error)" },
  "request-property-added-required": { severity: "breaking", title: "a required request body property was added" },
  "request-property-made-required": { severity: "breaking", title: "a request body property became required" },
  "request-property-removed": { severity: "breaking", title: "a request body property was removed (passing it is an excess-property error)" },
  "request-body-made-required": { severity: "breaking", title: "the request body became required, and with it the params argument" },
  "request-type-changed": { severity: "breaking", title: "a request value's type was narrowed or changed" },
  "request-enum-value-removed": { severity: "breaking", title: "a request enum lost a value" },
  "response-property-removed": { severity: "breaking", title: "a response property was removed" },
  "response-property-made-optional": { severity: "breaking", title: "a response property became optional (callers must handle undefined)" },
  "response-property-made-nullable": { severity: "breaking", title: "a response value became nullable (callers must handle null)" },
  "response-type-changed": { severity: "breaking", title: "a response value's type was widened or changed" },
  "success-status-changed": { severity: "breaking", title: "the success status changed" },
  "response-content-type-changed": { severity: "breaking", title: "a success response's content type changed or was removed" },
  "stream-default-changed": { severity: "breaking", title: "omitting the stream switch (response_mode) selects the other response: the method's default overload returns something else" },
  "default-server-url-changed": { severity: "breaking", title: "the default server URL changed (clients without baseUrl call elsewhere)" },

  // ── non-breaking ────────────────────────────────────────────────────────
  "operation-added": { severity: "non-breaking", title: "an operation was added (a new facade method)" },
  "operation-deprecated": { severity: "non-breaking", title: "an operation was marked deprecated (@deprecated on its method)" },
  "request-parameter-added-optional": { severity: "non-breaking", title: "an optional query or header parameter was added" },
  "request-parameter-made-optional": { severity: "non-breaking", title: "a query or header parameter is no longer required" },
  "request-property-added-optional": { severity: "non-breaking", title: "an optional request body property was added" },
  "request-property-made-optional": { severity: "non-breaking", title: "a request body property is no longer required" },
  "request-body-made-optional": { severity: "non-breaking", title: "the request body is no longer required, nor is the params argument" },
  "request-type-widened": { severity: "non-breaking", title: "a request value accepts more than before" },
  "request-enum-value-added": { severity: "non-breaking", title: "a request enum gained a value" },
  "response-property-added": { severity: "non-breaking", title: "a response property was added" },
  "response-property-made-required": { severity: "non-breaking", title: "a response property is now always present" },
  "response-type-narrowed": { severity: "non-breaking", title: "a response value's type was narrowed" },
  // A new enum value or union member only breaks an exhaustive `switch`; flagging every new
  // Dify event type as breaking would teach reviewers to ignore the report.
  "response-enum-value-added": { severity: "non-breaking", title: "a response enum gained a value (exhaustive switches need a case)" },
  "response-enum-value-removed": { severity: "non-breaking", title: "a response enum lost a value" },
  "response-variant-added": { severity: "non-breaking", title: "a response union gained a member (exhaustive switches need a case)" },
  "response-content-type-added": { severity: "non-breaking", title: "a success response gained a content type" },
  "error-response-added": { severity: "non-breaking", title: "an error response was documented" },

  // ── info ────────────────────────────────────────────────────────────────
  "operation-id-changed": { severity: "info", title: "an operationId changed (the name lock keeps the method name)" },
  "operation-summary-changed": { severity: "info", title: "a summary changed (the name lock keeps the method name)" },
  "operation-tags-changed": { severity: "info", title: "an operation's tags changed" },
  "description-changed": { severity: "info", title: "a description changed (JSDoc only)" },
  "path-parameter-renamed": { severity: "info", title: "a path parameter was renamed (positional callers are unaffected)" },
  "request-field-moved": { severity: "info", title: "a request field moved between query, header and body (the merged params object hides it)" },
  "request-default-changed": { severity: "info", title: "a request value's default changed (what the server assumes when the caller omits it)" },
  "request-body-flag-changed": { severity: "info", title: "the request body's `required` flag changed without changing whether params is required" },
  "request-content-type-changed": { severity: "info", title: "the request body's content type changed (the runtime encodes it; params are compared separately)" },
  "error-response-removed": { severity: "info", title: "an error response is no longer documented (errors still reject with DifyApiError)" },
  "error-schema-removed": { severity: "info", title: "an error response lost its schema (errors still reject with DifyApiError)" },
  "server-template-changed": { severity: "info", title: "the server URL template or its variables changed, with the same default URL" },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export const SEVERITIES: readonly Severity[] = ["breaking", "non-breaking", "info"];

export function severityOf(rule: RuleId): Severity {
  return RULES[rule].severity;
}

/** Severity rank for `--fail-on`: a change fails the run when its rank is at least the threshold's. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}
