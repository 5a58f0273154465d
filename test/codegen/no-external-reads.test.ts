/**
 * Generation reads the spec, its overlays and its name lock, nothing else: a
 * reference to another file or a URL where the document has structure
 * (schemas, Example objects, `externalValue`, discriminator mappings) is refused
 * with one line at its own position; one inside data (examples, defaults,
 * enums, consts, extensions) is inert text, generated but never followed.
 * A loopback server counts requests; a secret file sits outside the spec's folder.
 */
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient } from "../../src/codegen/generate.js";
import { renderSchemaTypes } from "../../src/codegen/schema-types.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

const SECRET = `root:x:0:0:secret-${process.pid}:/root:/bin/bash`;
const SPEC_FILE = "spec/nested/api.yaml";

let root: string;
let secretPath: string;
let server: Server;
let requests = 0;
let origin: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "codegen-no-reads-"));
  secretPath = join(root, "secret.txt");
  await writeFile(secretPath, SECRET);
  await mkdir(join(root, "spec", "nested"), { recursive: true });
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { "content-type": "application/yaml" }).end(`leak: ${SECRET}\n`);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(root, { recursive: true, force: true });
});

/** A spec with REF where the reference goes; `schema` is the response schema's body. */
function specWith(schema: string, extra = ""): string {
  return `openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
${schema}
${extra}`;
}

/** Where the reference sits, and whether that place is structure (refused) or data (inert text). */
const PLACES: [string, string, "refused" | "inert"][] = [
  ["a schema $ref", specWith("              schema: {$ref: REF}"), "refused"],
  ["a $ref in a property's example", specWith("              schema: {type: object, properties: {p: {type: string, example: {$ref: REF}}}}"), "inert"],
  ["a $ref in a default", specWith("              schema: {type: object, default: {$ref: REF}}"), "inert"],
  ["a $ref in an enum", specWith("              schema: {enum: [{$ref: REF}]}"), "inert"],
  ["a $ref in a const", specWith("              schema: {const: {$ref: REF}}"), "inert"],
  ["a $ref to an Example object", specWith("              schema: {type: string}\n              examples: {one: {$ref: REF}}"), "refused"],
  ["a $ref in an example's value", specWith("              schema: {type: string}\n              examples: {one: {value: {$ref: REF}}}"), "inert"],
  ["an externalValue", specWith("              schema: {type: string}\n              examples: {one: {externalValue: REF}}"), "refused"],
  ["a discriminator mapping", specWith("              schema: {oneOf: [{type: object}], discriminator: {propertyName: kind, mapping: {k: REF}}}"), "refused"],
  ["a $ref in an operation extension", specWith("              schema: {type: string}\n      x-policy: {$ref: REF}"), "inert"],
  [
    // Spotify's shape: a local $ref into an extension that holds the external one: all of it is extension data.
    "a $ref in a components extension, reached through a local $ref",
    specWith("              schema: {type: string}\n      x-policy-list: {$ref: '#/components/x-policies/list'}", "components:\n  x-policies: {$ref: REF}\n"),
    "inert",
  ],
];

const TARGETS: [string, () => string][] = [
  ["a relative path", () => "../../secret.txt"],
  ["an absolute path", () => secretPath],
  ["a file: URL", () => pathToFileURL(secretPath).href],
  ["an http URL", () => `${origin}/evil.yaml`],
  ["an http URL with a pointer", () => `${origin}/evil.yaml#/leak`],
];

interface Placed {
  text: string;
  /** line:col of the reference's value. */
  where: string;
}

function place(template: string, target: string): Placed {
  const quoted = `'${target}'`;
  const text = template.replace("REF", quoted);
  const offset = text.indexOf(quoted);
  const before = text.slice(0, offset).split("\n");
  return { text, where: `${before.length}:${before[before.length - 1]!.length + 1}` };
}

async function generate(text: string): Promise<unknown> {
  await writeFile(join(root, SPEC_FILE), text);
  return generateClient(root, { name: "api", spec: SPEC_FILE, names: "spec/nested/names.json", out: "out" }).then(
    () => new Error("generation succeeded"),
    (error: unknown) => error,
  );
}

function expectRefused(error: unknown, where: string): void {
  expect(error).toBeInstanceOf(GeneratorError);
  const { message } = error as GeneratorError;
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.startsWith(`${SPEC_FILE}:${where}: `), message).toBe(true);
  expect(message).toMatch(/reads no other file or URL/);
  expect(message).toMatch(/\. Fix: \S/);
  expect(message).not.toContain(SECRET);
}

describe("a reference to another file or a URL", () => {
  for (const [placeName, template, outcome] of PLACES) {
    for (const [targetName, target] of TARGETS) {
      if (outcome === "refused") {
        it(`${placeName} to ${targetName}: generateClient refuses it at its position, reads and fetches nothing`, async () => {
          const before = requests;
          const { text, where } = place(template, target());
          expectRefused(await generate(text), where);
          expect(requests - before).toBe(0);
          // Nothing written: no schema.d.ts holding what the reference named.
          expect(await readdir(root)).not.toContain("out");
        });
      } else {
        it(`${placeName} to ${targetName}: inert text, generated without reading or fetching it`, async () => {
          const before = requests;
          await writeFile(join(root, SPEC_FILE), place(template, target()).text);
          const files = await generateClient(root, { name: "api", spec: SPEC_FILE, names: "spec/nested/names.json", out: "out" });
          expect(requests - before).toBe(0);
          for (const file of files) expect(file.content, file.path).not.toContain(SECRET);
          expect(files.map((f) => f.path)).toContain("out/schema.d.ts");
        });
      }
    }
  }

  it("a dangling local $ref inside an example is inert text too: generated, not an error", async () => {
    await writeFile(join(root, SPEC_FILE), specWith("              schema: {type: object, properties: {p: {type: string, example: {$ref: '#/nowhere'}}}}"));
    const files = await generateClient(root, { name: "api", spec: SPEC_FILE, names: "spec/nested/names.json", out: "out" });
    expect(files.map((f) => f.path)).toContain("out/schema.d.ts");
  });

  it("brought in by an overlay is refused too, and nothing is read or fetched", async () => {
    const before = requests;
    await writeFile(join(root, SPEC_FILE), place(PLACES[0]![1], "#/components/schemas/S").text + "components:\n  schemas:\n    S: {type: string}\n");
    await writeFile(
      join(root, "spec/nested/fix.overlay.yaml"),
      `overlay: 1.0.0\ninfo: {title: fix, version: '1'}\nactions:\n  - target: $.components.schemas.S\n    update: {properties: {leak: {$ref: '${origin}/evil.yaml'}}}\n`,
    );
    const error = await generateClient(root, { name: "api", spec: SPEC_FILE, overlays: ["spec/nested/fix.overlay.yaml"], names: "spec/nested/names.json", out: "out" }).then(
      () => new Error("generation succeeded"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message).toMatch(/is not a local reference \(the generator reads no other file or URL\)/);
    expect(requests - before).toBe(0);
    expect(await readdir(root)).not.toContain("out");
  });

  it("is refused by renderSchemaTypes itself, where the document is handed to openapi-typescript", async () => {
    const before = requests;
    for (const [, template] of PLACES.filter(([, , outcome]) => outcome === "refused")) {
      for (const [, target] of TARGETS) {
        const { text, where } = place(template, target());
        const error = await renderSchemaTypes(parseSpec(SPEC_FILE, text, "")).then(
          () => new Error("rendered"),
          (e: unknown) => e,
        );
        expectRefused(error, where);
      }
    }
    expect(requests - before).toBe(0);
  });
});

describe("openapi-typescript's loader, once schema-types.ts is loaded", () => {
  it("reads no file and fetches no URL even when handed external references directly", async () => {
    const { default: openapiTS } = await import("openapi-typescript");
    const lstat = vi.spyOn(fs, "lstatSync");
    const readFile = vi.spyOn(fs.promises, "readFile");
    // Its own " ✘ " lines for the refused references: noise here.
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const before = requests;
    const externalRefs = [`../../secret.txt`, secretPath, `${origin}/evil.yaml`, `${origin}/evil.yaml#/leak`];
    try {
      for (const ref of externalRefs) {
        const doc = parseSpec(SPEC_FILE, place(PLACES[1]![1], ref).text, "").data;
        const outcome = await openapiTS(structuredClone(doc) as never, { silent: true, cwd: new URL(pathToFileURL(join(root, "spec", "nested")).href + "/") }).then(
          () => "rendered",
          (e: unknown) => String(e),
        );
        expect(outcome).not.toContain(SECRET);
      }
      const touched = [...lstat.mock.calls, ...readFile.mock.calls].map(([path]) => String(path));
      expect(touched.filter((path) => path.includes("secret"))).toEqual([]);
      expect(requests - before).toBe(0);
    } finally {
      lstat.mockRestore();
      readFile.mockRestore();
      quiet.mockRestore();
    }
  });
});

describe("any document with references anywhere (property)", () => {
  type Target = "relative" | "absolute" | "file" | "http" | "local" | "dangling" | "malformed" | "anchor";
  const targetText = (target: Target): string =>
    ({
      relative: "../../secret.txt",
      absolute: secretPath,
      file: pathToFileURL(secretPath).href,
      http: `${origin}/evil.yaml`,
      local: "#/components/schemas/S",
      dangling: "#/components/schemas/Nowhere",
      malformed: "#/components/schemas/%E0%A4%A",
      anchor: "#S",
    })[target];
  const target = fc.constantFrom<Target>("relative", "absolute", "file", "http", "local", "dangling", "malformed", "anchor");
  // Keys where a reference means something to OpenAPI or to the loader, and plain ones.
  const key = fc.constantFrom("example", "examples", "value", "default", "enum", "const", "x-ext", "properties", "items", "schema", "allOf", "oneOf", "a", "b");
  /** A reference is a marker replaced by its target's text at run time (the server's port is known only then). */
  const reference = fc.oneof(
    target.map((t) => ({ $ref: `@${t}` })),
    target.map((t) => ({ externalValue: `@${t}` })),
    target.map((t) => ({ oneOf: [{ type: "object" }], discriminator: { propertyName: "kind", mapping: { k: `@${t}` } } })),
  );
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, reference, fc.string({ maxLength: 3 }), fc.integer(), fc.array(tie("tree"), { maxLength: 3 }), fc.dictionary(key, tie("tree"), { maxKeys: 3 })),
  }));

  function documentWith(parts: unknown[]): unknown {
    const [inSchema, inExamples, inOperation, inComponents] = parts;
    const doc = {
      openapi: "3.1.0",
      info: { title: "T", version: "1" },
      paths: {
        "/a": {
          get: {
            "x-op": inOperation,
            responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { p: inSchema } }, examples: { e: inExamples } } } } },
          },
        },
      },
      components: { schemas: { S: { type: "object", "x-in": inComponents } } },
    };
    return JSON.parse(JSON.stringify(doc), (_key, value: unknown) => (typeof value === "string" && value.startsWith("@") ? targetText(value.slice(1) as Target) : value));
  }

  it("either renders or is refused with one line, and never reads the secret or sends a request", async () => {
    const lstat = vi.spyOn(fs, "lstatSync");
    const readFile = vi.spyOn(fs.promises, "readFile");
    const before = requests;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(tree, { minLength: 4, maxLength: 4 }), async (parts) => {
          const spec = parseSpec(SPEC_FILE, stringify(documentWith(parts)), "");
          const outcome = await renderSchemaTypes(spec).then(
            (types) => ({ types }),
            (error: unknown) => ({ error }),
          );
          if ("error" in outcome) {
            expect(outcome.error).toBeInstanceOf(GeneratorError);
            expect((outcome.error as Error).message).not.toMatch(/[\r\n]/);
            expect((outcome.error as Error).message).not.toContain(SECRET);
          } else {
            expect(outcome.types).not.toContain(SECRET);
          }
          const touched = [...lstat.mock.calls, ...readFile.mock.calls].map(([path]) => String(path));
          expect(touched.filter((path) => path.includes("secret"))).toEqual([]);
          expect(requests - before).toBe(0);
        }),
        { numRuns: 60 },
      );
    } finally {
      lstat.mockRestore();
      readFile.mockRestore();
    }
  });
});
