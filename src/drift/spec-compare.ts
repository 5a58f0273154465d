/**
 * The spec comparison: pairs operations by identity, then applies the rules
 * (rules.ts) to each pair from the caller's side of the facade: positional
 * path arguments, the `params` object, the result. Every change is named with
 * the operation and its facade method.
 */
import type { OperationModel } from "../codegen/operation-model.js";
import type { SpecDocument } from "../codegen/spec-document.js";
import { ChangeList, type Change, type Emit } from "./change.js";
import type { MethodNames } from "./method-names.js";
import { pairOperations } from "./operation-identity.js";
import { requestParts, responseParts, valueAt, type RequestField, type ResponsePart } from "./operation-parts.js";
import { severityRank } from "./rules.js";
import { compareRequired, compareSchemas, type CompareContext } from "./schema-compare.js";
import { defaultServerUrl } from "../codegen/generate.js";

export interface ComparedSide {
  spec: SpecDocument;
  operations: readonly OperationModel[];
}

export function compareSpecs(base: ComparedSide, head: ComparedSide, names: MethodNames): Change[] {
  const list = new ChangeList();
  compareServers(base.spec, head.spec, list.for(null, null));

  const pairing = pairOperations(base.operations, head.operations);
  for (const op of pairing.removed) {
    const method = names.base.get(op.key) ?? null;
    list.for(op.key, method)("operation-removed", { base: op.at }, op.key, null, `\`${method}\` is gone: ${op.key} was removed`);
  }
  for (const op of pairing.added) {
    const method = names.head.get(op.key) ?? null;
    list.for(op.key, method)("operation-added", { head: op.at }, null, op.key, `new method \`${method}\` for ${op.key}`);
  }
  for (const [b, h] of [...pairing.matched, ...pairing.reshaped]) {
    const method = names.head.get(h.key) ?? names.base.get(b.key) ?? null;
    compareOperation(base.spec, b, head.spec, h, method ?? "?", list.for(h.key, method));
  }
  return sortChanges(list.changes);
}

/** Breaking first, then by operation and place, so reports and JSON are stable. */
export function sortChanges(changes: Change[]): Change[] {
  return [...changes].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.operation ?? "").localeCompare(b.operation ?? "") ||
      a.pointer.localeCompare(b.pointer) ||
      a.rule.localeCompare(b.rule),
  );
}

function compareServers(base: SpecDocument, head: SpecDocument, emit: Emit): void {
  const before = defaultServerUrl(base);
  const after = defaultServerUrl(head);
  if (before !== after) {
    emit("default-server-url-changed", { base: ["servers", 0, "url"], head: ["servers", 0, "url"] }, before, after, `the default base URL is ${after} now (was ${before}); clients created without \`baseUrl\` call the new one`);
    return;
  }
  const template = (spec: SpecDocument) => JSON.stringify({ url: spec.data.servers?.[0]?.url, variables: spec.data.servers?.[0]?.variables });
  if (template(base) !== template(head)) {
    emit("server-template-changed", { base: ["servers", 0], head: ["servers", 0] }, base.data.servers?.[0]?.url, head.data.servers?.[0]?.url, `the server URL template changed; the default is still ${after}`);
  }
}

function compareOperation(baseSpec: SpecDocument, b: OperationModel, headSpec: SpecDocument, h: OperationModel, method: string, emit: Emit): void {
  compareMetadata(baseSpec, b, headSpec, h, method, emit);
  const request: CompareContext = { direction: "request", emit, seen: new Set() };
  const baseRequest = requestParts(baseSpec, b);
  const headRequest = requestParts(headSpec, h);

  // ── path parameters: positional arguments ──
  const baseNames = baseRequest.pathParams.map((p) => p.name);
  const headNames = headRequest.pathParams.map((p) => p.name);
  if (baseNames.length === headNames.length) {
    const reordered = baseNames.join() !== headNames.join() && [...baseNames].sort().join() === [...headNames].sort().join();
    if (reordered) {
      emit("path-parameters-reordered", { base: b.at, head: h.at }, b.path, h.path, `path parameters are in a different order (${b.path} → ${h.path}): positional arguments of \`${method}\` now mean something else`);
    }
    baseRequest.pathParams.forEach((bp, i) => {
      const hp = headRequest.pathParams[i]!;
      if (!reordered && bp.name !== hp.name) {
        emit("path-parameter-renamed", { base: bp.at, head: hp.at }, bp.name, hp.name, `path parameter {${bp.name}} is {${hp.name}} now (argument ${i + 1} of \`${method}\`; positional callers are unaffected)`);
      }
      if (bp.schema && hp.schema) compareSchemas(request, bp.schema, hp.schema, `{${hp.name}}`);
    });
  } else {
    for (const name of baseNames.filter((n) => !headNames.includes(n))) {
      emit("path-parameter-removed", { base: b.at, head: h.at }, b.path, h.path, `path parameter {${name}} removed (${b.path} → ${h.path}): the positional arguments of \`${method}\` shift`);
    }
    for (const name of headNames.filter((n) => !baseNames.includes(n))) {
      emit("path-parameter-added", { base: b.at, head: h.at }, b.path, h.path, `path parameter {${name}} added (${b.path} → ${h.path}): \`${method}\` takes a new positional argument`);
    }
  }

  // ── the params argument ──
  if (b.paramsShape !== h.paramsShape && b.paramsShape !== "none" && h.paramsShape !== "none") {
    const describe = (shape: string) => (shape === "split" ? "{ query, header, body }" : "one merged object");
    emit("request-params-shape-changed", { base: b.at, head: h.at }, describe(b.paramsShape), describe(h.paramsShape), `\`${method}\` takes params as ${describe(h.paramsShape)} now (was ${describe(b.paramsShape)})`);
  }
  if (b.body && h.body) {
    if (b.body.mediaType !== h.body.mediaType) {
      emit("request-content-type-changed", { base: baseRequest.bodyAt, head: headRequest.bodyAt }, b.body.mediaType, h.body.mediaType, `request body is sent as ${h.body.mediaType} now (was ${b.body.mediaType})`);
    }
    if (b.body.required !== h.body.required) {
      const where = { base: baseRequest.bodyAt, head: headRequest.bodyAt };
      const state = h.body.required ? "required" : "optional";
      // Only a body with required properties makes `params` required; otherwise the runtime sends {} itself.
      if (b.paramsRequired === h.paramsRequired) {
        emit("request-body-flag-changed", where, b.body.required, h.body.required, `the request body of \`${method}\` is ${state} now, which does not change \`params\` (the runtime sends {} when it needs a body)`);
      } else if (h.body.required) emit("request-body-made-required", where, false, true, `the request body of \`${method}\` is required now, and so is its params argument`);
      else emit("request-body-made-optional", where, true, false, `the request body of \`${method}\` is optional now, and so is its params argument`);
    }
  }
  for (const [key, bf] of baseRequest.fields) {
    const hf = headRequest.fields.get(key);
    if (!hf) {
      emit(bf.in === "body" ? "request-property-removed" : "request-parameter-removed", { base: bf.at }, bf.name, null, `\`${bf.subject}\` removed (it was a ${fieldKind(bf)})`);
      continue;
    }
    if (bf.in !== hf.in) {
      emit("request-field-moved", { base: bf.at, head: hf.at }, bf.in, hf.in, `\`${hf.subject}\` moved from the ${bf.in} to the ${hf.in}; the merged params object hides the move`);
    }
    compareRequired(request, { base: bf.at, head: hf.at }, hf.subject, hf.in === "body" ? "property" : "parameter", bf.required, hf.required);
    if (bf.schema && hf.schema) compareSchemas(request, bf.schema, hf.schema, hf.subject);
  }
  for (const [key, hf] of headRequest.fields) {
    if (baseRequest.fields.has(key)) continue;
    emit(fieldAddedRule(hf), { head: hf.at }, null, hf.name, `\`${hf.subject}\` added as ${hf.required ? "a required" : "an optional"} ${fieldKind(hf)}`);
  }
  if (baseRequest.wholeBody && headRequest.wholeBody) compareSchemas(request, baseRequest.wholeBody, headRequest.wholeBody, "params.body");

  // The facade's overloads follow the stream switch's default (x-codegen-stream in the overlay).
  if (b.stream && h.stream && b.stream.property === h.stream.property && b.stream.byDefault !== h.stream.byDefault) {
    const now = h.stream.byDefault ? "streams" : "resolves with the JSON result";
    const was = b.stream.byDefault ? "streamed" : "resolved with the JSON result";
    emit("stream-default-changed", { base: b.at, head: h.at }, b.stream.byDefault, h.stream.byDefault, `\`${method}\` without \`${h.stream.property}\` ${now} now (it ${was}): callers relying on the default get the other type`);
  }

  compareResponses(responseParts(baseSpec, b), responseParts(headSpec, h), b, h, method, emit);
}

function fieldKind(field: RequestField): string {
  return field.in === "body" ? "body property" : `${field.in} parameter`;
}

function fieldAddedRule(field: RequestField) {
  if (field.in === "body") return field.required ? "request-property-added-required" : "request-property-added-optional";
  return field.required ? "request-parameter-added-required" : "request-parameter-added-optional";
}

function compareMetadata(baseSpec: SpecDocument, b: OperationModel, headSpec: SpecDocument, h: OperationModel, method: string, emit: Emit): void {
  const where = { base: b.at, head: h.at };
  if (b.operationId !== h.operationId) {
    emit("operation-id-changed", { base: [...b.at, "operationId"], head: [...h.at, "operationId"] }, b.operationId, h.operationId, `operationId ${b.operationId ?? "(none)"} → ${h.operationId ?? "(none)"}; the name lock keeps \`${method}\``);
  }
  if ((b.summary ?? "") !== (h.summary ?? "")) {
    emit("operation-summary-changed", { base: [...b.at, "summary"], head: [...h.at, "summary"] }, b.summary, h.summary, `summary "${b.summary ?? ""}" → "${h.summary ?? ""}"; the name lock keeps \`${method}\``);
  }
  const tags = (spec: SpecDocument, op: OperationModel) => {
    const raw = valueAt(spec, [...op.at, "tags"]);
    return Array.isArray(raw) ? raw.map(String) : [];
  };
  const [bTags, hTags] = [tags(baseSpec, b), tags(headSpec, h)];
  if (bTags.join() !== hTags.join()) {
    emit("operation-tags-changed", { base: [...b.at, "tags"], head: [...h.at, "tags"] }, bTags, hTags, `tags ${bTags.join(", ") || "(none)"} → ${hTags.join(", ") || "(none)"}`);
  }
  if ((b.description ?? "") !== (h.description ?? "")) {
    emit("description-changed", { base: [...b.at, "description"], head: [...h.at, "description"] }, b.description, h.description, `the description of \`${method}\` changed`);
  }
  if (!b.deprecated && h.deprecated) emit("operation-deprecated", where, false, true, `\`${method}\` is deprecated now`);
}

/** Success responses: the status and content types decide the result type; error responses are documentation. */
function compareResponses(base: Map<string, ResponsePart>, head: Map<string, ResponsePart>, b: OperationModel, h: OperationModel, method: string, emit: Emit): void {
  const response: CompareContext = { direction: "response", emit, seen: new Set() };
  const baseSuccess = b.success.map((r) => r.status);
  const headSuccess = h.success.map((r) => r.status);
  if (baseSuccess.join() !== headSuccess.join()) {
    const at = (parts: Map<string, ResponsePart>, status: string | undefined) => (status === undefined ? undefined : parts.get(status)?.at);
    emit("success-status-changed", { base: at(base, baseSuccess[0]), head: at(head, headSuccess[0]) }, baseSuccess.join(", "), headSuccess.join(", "), `\`${method}\` succeeds with ${headSuccess.join(", ")} now (was ${baseSuccess.join(", ")})`);
  }
  // Same status first; one success response left on each side is the same response renumbered.
  const pairs: [ResponsePart, ResponsePart][] = [];
  const leftBase = baseSuccess.filter((s) => !headSuccess.includes(s));
  const leftHead = headSuccess.filter((s) => !baseSuccess.includes(s));
  for (const status of baseSuccess.filter((s) => headSuccess.includes(s))) pairs.push([base.get(status)!, head.get(status)!]);
  if (leftBase.length === 1 && leftHead.length === 1) pairs.push([base.get(leftBase[0]!)!, head.get(leftHead[0]!)!]);

  for (const [bp, hp] of pairs) {
    const bTypes = [...bp.content.keys()];
    const hTypes = [...hp.content.keys()];
    const removed = bTypes.filter((t) => !hp.content.has(t));
    const added = hTypes.filter((t) => !bp.content.has(t));
    if (removed.length > 0) {
      emit("response-content-type-changed", { base: [...bp.at, "content"], head: [...hp.at, "content"] }, bTypes, hTypes, `response ${hp.status} of \`${method}\` is ${hTypes.join(", ") || "empty"} now (was ${bTypes.join(", ") || "empty"})`);
    } else if (added.length > 0) {
      emit("response-content-type-added", { head: [...hp.at, "content"] }, bTypes, hTypes, `response ${hp.status} of \`${method}\` can also be ${added.join(", ")}`);
    }
    const common = bTypes.filter((t) => hp.content.has(t));
    // A lone content type replaced by another (audio/wav → audio/mpeg) still has a schema worth comparing.
    const typePairs: [string, string][] = common.map((t) => [t, t]);
    if (common.length === 0 && bTypes.length === 1 && hTypes.length === 1) typePairs.push([bTypes[0]!, hTypes[0]!]);
    for (const [bt, ht] of typePairs) {
      const bs = bp.content.get(bt);
      const hs = hp.content.get(ht);
      const subject = /^text\/event-stream/i.test(ht) ? "event" : "result";
      if (bs && hs) compareSchemas(response, bs, hs, subject);
      else if (bs && !hs) emit("response-type-changed", { base: bs.at, head: [...hp.at, "content", ht] }, "typed", "untyped", `the ${ht} ${subject} of \`${method}\` has no schema now`);
      else if (!bs && hs) emit("response-type-narrowed", { head: hs.at }, "untyped", "typed", `the ${ht} ${subject} of \`${method}\` has a schema now`);
    }
  }

  // Error responses: calls reject with DifyApiError whatever they document.
  const isError = (status: string, success: string[]) => !success.includes(status);
  for (const [status, bp] of base) {
    if (!isError(status, baseSuccess)) continue;
    const hp = head.get(status);
    if (!hp || !isError(status, headSuccess)) {
      if (!hp) emit("error-response-removed", { base: bp.at }, status, null, `\`${method}\` no longer documents a ${status} response`);
      continue;
    }
    const hasSchema = (part: ResponsePart) => [...part.content.values()].some((s) => s !== undefined);
    if (hasSchema(bp) && !hasSchema(hp)) emit("error-schema-removed", { base: bp.at, head: hp.at }, status, null, `the ${status} response of \`${method}\` no longer has a schema`);
  }
  for (const [status, hp] of head) {
    if (isError(status, headSuccess) && !base.has(status)) emit("error-response-added", { head: hp.at }, null, status, `\`${method}\` documents a ${status} response`);
  }
}
