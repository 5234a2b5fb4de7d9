/**
 * Sanity checks of a CustomResourceDefinition before it is stored, with Kubernetes'
 * field paths and messages: name = `<plural>.<group>`, group with a dot, DNS-label
 * names, a known scope, unique versions with exactly one storage version, and a
 * structural root schema of type object for every version.
 *
 * @example
 * ```ts
 * const causes = crdValidationErrors(crd);
 * if (causes.length) throw StatusError.invalid("CustomResourceDefinition", "apiextensions.k8s.io", name, causes);
 * ```
 *
 * @module
 */
import type { CustomResourceDefinition } from "./crd_conversion.ts";
import type { StatusCause } from "./status_error.ts";

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function required(field: string): StatusCause {
  return { reason: "FieldValueRequired", field, message: "Required value" };
}

function invalid(field: string, value: unknown, why: string): StatusCause {
  return {
    reason: "FieldValueInvalid",
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  };
}

function checkLabel(causes: StatusCause[], field: string, value: unknown, need: boolean) {
  if (value === undefined || value === "") {
    if (need) causes.push(required(field));
    return;
  }
  if (typeof value !== "string" || !DNS1035_LABEL.test(value) || value.length > 63) {
    causes.push(
      invalid(
        field,
        value,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      ),
    );
  }
}

function checkKind(causes: StatusCause[], field: string, value: unknown, need: boolean) {
  if (value === undefined || value === "") {
    if (need) causes.push(required(field));
    return;
  }
  if (typeof value !== "string" || !DNS1035_LABEL.test(value.toLowerCase())) {
    causes.push(
      invalid(field, value, "may have mixed case, but should otherwise match a DNS-1035 label"),
    );
  }
}

/** Every problem of a CRD as Invalid causes; empty when it may be stored. */
export function crdValidationErrors(crd: CustomResourceDefinition): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = crd.spec as Partial<CustomResourceDefinition["spec"]> | undefined;
  if (!spec || typeof spec !== "object") return [required("spec")];
  const group = spec.group;
  if (!group) causes.push(required("spec.group"));
  else if (!DNS1123_SUBDOMAIN.test(group) || group.length > 253) {
    causes.push(invalid("spec.group", group, "a lowercase RFC 1123 subdomain is required"));
  } else if (!group.includes(".")) {
    causes.push(invalid("spec.group", group, "should be a domain with at least one dot"));
  }
  const names = spec.names;
  if (!names) causes.push(required("spec.names"));
  else {
    checkLabel(causes, "spec.names.plural", names.plural, true);
    checkLabel(causes, "spec.names.singular", names.singular, false);
    checkKind(causes, "spec.names.kind", names.kind, true);
    checkKind(causes, "spec.names.listKind", names.listKind, false);
    if (names.listKind && names.listKind === names.kind) {
      causes.push(
        invalid("spec.names.listKind", names.listKind, "kind and listKind cannot be the same"),
      );
    }
    (names.shortNames ?? []).forEach((s, i) =>
      checkLabel(causes, `spec.names.shortNames[${i}]`, s, true)
    );
    (names.categories ?? []).forEach((s, i) =>
      checkLabel(causes, `spec.names.categories[${i}]`, s, true)
    );
  }
  const name = crd.metadata?.name;
  if (names?.plural && group && name !== `${names.plural}.${group}`) {
    causes.push(invalid("metadata.name", name ?? "", 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.scope === undefined) causes.push(required("spec.scope"));
  else if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      reason: "FieldValueNotSupported",
      field: "spec.scope",
      message: `Unsupported value: ${
        JSON.stringify(spec.scope)
      }: supported values: "Cluster", "Namespaced"`,
    });
  }
  checkVersions(causes, spec.versions);
  return causes;
}

function checkVersions(
  causes: StatusCause[],
  versions: CustomResourceDefinition["spec"]["versions"] | undefined,
) {
  if (!Array.isArray(versions) || versions.length === 0) {
    causes.push(
      invalid(
        "spec.versions",
        versions ?? null,
        "must have exactly one version marked as storage version",
      ),
    );
    return;
  }
  const seen = new Set<string>();
  let storage = 0;
  versions.forEach((v, i) => {
    const field = `spec.versions[${i}]`;
    checkLabel(causes, `${field}.name`, v?.name, true);
    if (v?.name) {
      if (seen.has(v.name)) {
        causes.push({
          reason: "FieldValueDuplicate",
          field: `${field}.name`,
          message: `Duplicate value: ${JSON.stringify(v.name)}`,
        });
      }
      seen.add(v.name);
    }
    if (v?.storage) storage++;
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema) {
      causes.push({
        ...required(`${field}.schema.openAPIV3Schema`),
        message: "Required value: schemas are required",
      });
    } else if (schema.type !== "object") {
      causes.push(
        schema.type === undefined
          ? {
            ...required(`${field}.schema.openAPIV3Schema.type`),
            message: "Required value: must not be empty at the root",
          }
          : invalid(
            `${field}.schema.openAPIV3Schema.type`,
            schema.type,
            "must be object at the root",
          ),
      );
    }
  });
  if (storage !== 1) {
    causes.push(
      invalid(
        "spec.versions",
        versions.map((v) => v?.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
}
