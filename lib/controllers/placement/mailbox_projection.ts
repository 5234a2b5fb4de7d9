/**
 * The objects to write into one mailbox: each desired part customized for its
 * destination (parameters from the destination's Location and SyncTarget, the
 * Customizer the object names, looked up in its own workspace) and put in its mailbox
 * form, with the problems met per placement (a missing or unparsable Customizer).
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { Customizer, SinglePlacement } from "../../edge/api_types.ts";
import { parameterDefinitions } from "../../placement/customize/expand_parameters.ts";
import { customizeObject, customizerRef } from "./customization.ts";
import type { DesiredMailbox } from "./desired_mailbox.ts";
import type { ProjectedObject } from "./mailbox_writer.ts";
import { projectedForm } from "./projected_form.ts";

/** Where the projection looks things up (informer caches). */
export interface ProjectionLookups {
  location(d: SinglePlacement): KubeObject | undefined;
  syncTarget(d: SinglePlacement): KubeObject | undefined;
  customizer(cluster: string, namespace: string, name: string): Customizer | undefined;
}

/** The mailbox forms of `desired`, and problems by placement key. */
export function projectForMailbox(
  desired: DesiredMailbox,
  lookups: ProjectionLookups,
): { objects: ProjectedObject[]; problems: Map<string, string[]> } {
  const problems = new Map<string, string[]>();
  const objects: ProjectedObject[] = [];
  for (const part of desired.parts.values()) {
    const d = part.destination;
    const params = parameterDefinitions(
      lookups.location(d)?.metadata,
      lookups.syncTarget(d)?.metadata,
    );
    const ref = customizerRef(part.source);
    const customizer = ref && lookups.customizer(part.sourceCluster, ref.namespace, ref.name);
    const result = customizeObject(part.source, customizer, params);
    if (ref && !customizer) {
      result.problems.push(
        `Customizer ${ref.namespace}/${ref.name} named by ${part.key} does not exist`,
      );
    }
    for (const pk of part.placements) {
      problems.set(pk, [...(problems.get(pk) ?? []), ...result.problems]);
    }
    objects.push({
      key: part.key,
      ref: {
        group: part.info.group,
        version: part.info.version,
        resource: part.info.resource,
        namespace: part.info.namespaced ? part.namespace : undefined,
        name: part.name,
      },
      form: projectedForm(result.object, part.info),
      createOnly: part.createOnly,
    });
  }
  return { objects, problems };
}
