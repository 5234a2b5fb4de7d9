/**
 * Creates or updates a list of objects on a server in order — what `kubectl apply -f`
 * does for a manifest, without kubectl: a new object is created, an existing one gets
 * the manifest's content merged in (merge patch). Returns kubectl-style lines.
 *
 * @example
 * ```ts
 * const lines = await applyObjects(client, docs); // ["namespace/demo created", …]
 * ```
 *
 * @module
 */
import type { KubeObject, RestClient } from "./rest_client.ts";
import { isNotFound } from "./rest_errors.ts";
import { ResourceMapper } from "./resource_mapper.ts";

function typeName(obj: KubeObject): string {
  const group = obj.apiVersion?.includes("/") ? obj.apiVersion.split("/")[0] : "";
  const kind = (obj.kind ?? "").toLowerCase();
  return group ? `${kind}.${group}` : kind;
}

/** Applies `objects` in order; resolves to one line per object. */
export async function applyObjects(
  client: RestClient,
  objects: KubeObject[],
  mapper = new ResourceMapper(client),
): Promise<string[]> {
  const lines: string[] = [];
  for (const obj of objects) {
    const ref = await mapper.refFor(obj);
    const name = obj.metadata?.name ?? "";
    let exists = true;
    try {
      await client.get(ref);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      exists = false;
    }
    if (exists) {
      await client.patch(ref, obj, "merge");
      lines.push(`${typeName(obj)}/${name} configured`);
    } else {
      await client.create({ ...ref, name: undefined }, obj);
      lines.push(`${typeName(obj)}/${name} created`);
    }
    if (obj.kind === "CustomResourceDefinition") mapper.reset();
  }
  return lines;
}

/** Parses a multi-document YAML manifest into objects (empty documents skipped). */
export async function parseManifest(text: string): Promise<KubeObject[]> {
  const { parseAllDocuments } = await import("yaml");
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (value.kind === "List" && Array.isArray(value.items)) objects.push(...value.items);
    else objects.push(value as KubeObject);
  }
  return objects;
}
