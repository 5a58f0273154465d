/**
 * Request bodies other than JSON. The generated operations that send one pass
 * its encoder in their descriptor (`OperationSpec.encodeBody`), so a bundle of
 * JSON-only operations carries none of this.
 */
import { describeValue, encodeJson, type BodyEncoder } from "./encode.js";
import type { BodyEncoding } from "./operation.js";

/** The text as is: `text/plain` unless the spec names another type (`text/csv`, `application/xml`). */
export const textBody: BodyEncoder = (body, mediaType) => ({ body: String(body), contentType: mediaType ?? "text/plain" });

/** `a=1&a=2` for arrays (the spec's default form style, exploded); undefined and null are left out. */
export const formBody: BodyEncoder = (body, mediaType) => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(asFields(body))) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      form.append(name, typeof item === "object" ? encodeJson(item) : String(item));
    }
  }
  return { body: form.toString(), contentType: mediaType ?? "application/x-www-form-urlencoded" };
};

/** Blobs and Files become file parts; arrays repeat the field; objects are sent as JSON text. FormData sets its own type and boundary. */
export const multipartBody: BodyEncoder = (body) => {
  // Already a form (the escape hatch passes one through).
  if (body instanceof FormData) return { body, contentType: undefined };
  const form = new FormData();
  const append = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (value instanceof Blob) form.append(name, value, value instanceof File ? value.name : "blob");
    else if (typeof value === "object") form.append(name, encodeJson(value));
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(asFields(body))) {
    if (Array.isArray(value)) value.forEach((item) => append(name, item));
    else append(name, value);
  }
  return { body: form, contentType: undefined };
};

/** A Blob (its own type unless the spec names one), bytes, or a ReadableStream (sent once, never retried). */
export const binaryBody: BodyEncoder = (body, mediaType) => {
  if (body instanceof Blob) return { body, contentType: mediaType ?? (body.type || "application/octet-stream") };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof ReadableStream) {
    return { body: body as BodyInit, contentType: mediaType ?? "application/octet-stream" };
  }
  throw new TypeError(`the request body must be a Blob, an ArrayBuffer, a typed array or a ReadableStream, got ${describeValue(body)}`);
};

/** Every encoder but JSON's, by encoding: for the escape hatch, which learns the kind at run time. */
export const BODY_ENCODERS: Readonly<Record<Exclude<BodyEncoding, "json">, BodyEncoder>> = { text: textBody, form: formBody, multipart: multipartBody, binary: binaryBody };

function asFields(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TypeError(`the request body must be an object of fields, got ${describeValue(body)}`);
  }
  return body as Record<string, unknown>;
}
