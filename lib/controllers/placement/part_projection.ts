/**
 * The mailbox form of one desired object for its destination (controllers-spec §4.5,
 * §4.6): customized (parameters from the destination's Location and SyncTarget, the
 * Customizer the object names, looked up in its own workspace), in its mailbox form,
 * with its fingerprint and the problems met (a missing or unparsable Customizer).
 *
 * An object that asks for neither parameter expansion nor a Customizer has the same
 * form in every mailbox: that form is computed once per version of the object and
 * shared (a `WeakMap` keyed by the informer's copy, so it goes when the copy goes).
 * This is what makes one change to an object placed on 10,000 mailboxes one
 * projection, not 10,000.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { Customizer, SinglePlacement } from "../../edge/api_types.ts";
import { parameterDefinitions } from "../../placement/customize/expand_parameters.ts";
import { customizeObject, customizerRef, wantsExpansion } from "./customization.ts";
import type { DesiredPart } from "./desired_mailbox.ts";
import type { ApiResourceInfo } from "./discovery.ts";
import { formHash } from "./mailbox_writer.ts";
import { projectedForm } from "./projected_form.ts";

/** Where the projection looks things up (informer caches). */
export interface ProjectionLookups {
  location(d: SinglePlacement): KubeObject | undefined;
  syncTarget(d: SinglePlacement): KubeObject | undefined;
  customizer(cluster: string, namespace: string, name: string): Customizer | undefined;
}

/** A projected object. */
export interface Projected {
  form: KubeObject;
  /** `formHash(form, createOnly)`. */
  hash: string;
  problems: string[];
}

interface Shared extends Projected {
  info: ApiResourceInfo;
  createOnly: boolean;
}

/** True when `source` has the same mailbox form at every destination. */
export function destinationIndependent(source: KubeObject): boolean {
  return !wantsExpansion(source) && customizerRef(source) === undefined;
}

/** Projects desired parts, sharing destination-independent forms. */
export class PartProjector {
  readonly #shared = new WeakMap<KubeObject, Shared>();
  readonly #lookups: ProjectionLookups;
  readonly #counter: { projections: number };

  /** `counter.projections` counts the projections computed (a shared form counts once). */
  constructor(lookups: ProjectionLookups, counter: { projections: number } = { projections: 0 }) {
    this.#lookups = lookups;
    this.#counter = counter;
  }

  /** The mailbox form of `part` at its destination. */
  project(part: DesiredPart): Projected {
    const source = part.source;
    if (destinationIndependent(source)) {
      const hit = this.#shared.get(source);
      if (hit && hit.info === part.info && hit.createOnly === part.createOnly) return hit;
      const form = projectedForm(source, part.info);
      const shared: Shared = {
        form,
        hash: formHash(form, part.createOnly),
        problems: [],
        info: part.info,
        createOnly: part.createOnly,
      };
      this.#counter.projections++;
      this.#shared.set(source, shared);
      return shared;
    }
    this.#counter.projections++;
    const d = part.destination;
    const params = parameterDefinitions(
      this.#lookups.location(d)?.metadata,
      this.#lookups.syncTarget(d)?.metadata,
    );
    const ref = customizerRef(source);
    const customizer = ref && this.#lookups.customizer(part.sourceCluster, ref.namespace, ref.name);
    const result = customizeObject(source, customizer, params);
    if (ref && !customizer) {
      result.problems.push(
        `Customizer ${ref.namespace}/${ref.name} named by ${part.key} does not exist`,
      );
    }
    const form = projectedForm(result.object, part.info);
    return { form, hash: formHash(form, part.createOnly), problems: result.problems };
  }
}
