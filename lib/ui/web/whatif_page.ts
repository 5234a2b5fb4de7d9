/// <reference lib="dom" />
/**
 * The What-if view: change a placement's location selectors (one selector per line,
 * kubectl's syntax) and clusters' labels, and see which clusters every placement would
 * then select, gained and lost — computed by the CLI with the where-resolver's own
 * code. Nothing is written anywhere.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import type { FleetView } from "../fleet_view.ts";
import type { PlacementsView } from "../placement_view.ts";
import type { WhatIfView } from "../whatif.ts";
import { postJson } from "./api.ts";
import { labelWords, parseLabels, selectorText } from "./format.ts";
import { useResource } from "./hooks.ts";
import { html } from "./widgets.ts";

interface ClusterEdit {
  imw: string;
  name: string;
  labels: string;
}

function Results({ view }: { view: WhatIfView }) {
  if (view.results.length === 0) {
    return html`<p class="muted" data-whatif="none">No placement would change (${view.unchanged} unchanged).</p>`;
  }
  return html`
    <ul class="whatif-results">${view.results.map((r) =>
      html`<li data-whatif=${r.name}>
      <b>${r.name}</b> <span class="muted small">in ${r.wmw}</span>:
      ${r.before} → <b>${r.after}</b> clusters
      ${
        r.added.map((d) =>
          html`
            <span class="chip add" title=${d.matchedBy}>+ ${d.syncTarget}</span>
          `
        )
      }
      ${
        r.removed.map((d) =>
          html`
            <span class="chip remove">− ${d.syncTarget}</span>
          `
        )
      }
      ${
        r.problems.length
          ? html`<ul class="problems">${r.problems.map((p) => html`<li>${p}</li>`)}</ul>`
          : null
      }
      ${
        r.destinations
          ? html`<div class="small">Would select: ${
            r.destinations.map((d) =>
              html`
                <span class="chip" title=${d.matchedBy}>${d.syncTarget}</span>
              `
            )
          }${r.after > r.destinations.length ? "…" : ""}</div>`
          : null
      }
    </li>`
    )}</ul>
    <p class="muted small">${view.unchanged} other placements unchanged.</p>
  `;
}

/** The What-if view. */
export function WhatIfPage() {
  const placements = useResource<PlacementsView>("/api/placements", ["placements"]);
  const fleet = useResource<FleetView>("/api/fleet", ["fleet"]);
  const [choice, setChoice] = useState("");
  const [selectors, setSelectors] = useState<string | undefined>(undefined);
  const [edits, setEdits] = useState<ClusterEdit[]>([]);
  const [cluster, setCluster] = useState("");
  const [result, setResult] = useState<WhatIfView | undefined>(undefined);
  const [error, setError] = useState("");
  const list = placements.data?.placements ?? [];
  const chosen = list.find((p) => `${p.wmwCluster}/${p.name}` === choice);
  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        const body = {
          placements: chosen && selectors !== undefined
            ? [{
              wmw: chosen.wmwCluster,
              name: chosen.name,
              locationSelectors: selectors.split("\n").map((s) => s.trim()).filter(Boolean),
            }]
            : [],
          clusters: edits.map((e) => ({ imw: e.imw, name: e.name, labels: parseLabels(e.labels) })),
        };
        setResult(await postJson<WhatIfView>("/api/whatif", body));
        setError("");
      } catch (e) {
        setError((e as Error).message);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [choice, selectors, JSON.stringify(edits)]);
  const targets = fleet.data?.syncTargets ?? [];
  const addEdit = () => {
    const t = targets.find((x) => x.name === cluster.trim());
    if (!t || edits.some((e) => e.name === t.name && e.imw === t.imwCluster)) return;
    setEdits([...edits, {
      imw: t.imwCluster,
      name: t.name,
      labels: labelWords(t.labels).join(", "),
    }]);
    setCluster("");
  };
  return html`
    <section class="view" aria-labelledby="whatif-title">
      <h2 id="whatif-title">What if…</h2>
      <p class="muted">Edit selectors or labels to see what would match. Nothing is written.</p>
      <div class="whatif">
        <fieldset>
            <legend>A placement's location selectors</legend>
            <label>Placement <select aria-label="Placement" value=${choice} onChange=${(
              e: Event,
            ) => {
              const v = (e.target as HTMLSelectElement).value;
              setChoice(v);
              const p = list.find((x) => `${x.wmwCluster}/${x.name}` === v);
              setSelectors(
                p ? p.locationSelectors.map((s) => selectorText(s as never)).join("\n") : undefined,
              );
            }}>
              <option value="">(none)</option>
              ${list.map((p) =>
                html`<option value=${`${p.wmwCluster}/${p.name}`}>${p.wmw} / ${p.name}</option>`
              )}
            </select></label>
            ${chosen
              ? html`<label>Selectors, one per line
          <textarea aria-label="Location selectors" rows="3" value=${selectors ?? ""}
            onInput=${(e: Event) =>
                setSelectors((e.target as HTMLTextAreaElement).value)}></textarea></label>`
              : null}
          </fieldset>
        <fieldset>
            <legend>Clusters' labels</legend>
            <div class="toolbar">
              <input list="cluster-names" aria-label="Cluster to edit" placeholder="Cluster name" value=${cluster}
                onInput=${(e: Event) => setCluster((e.target as HTMLInputElement).value)}
                onKeyDown=${(e: KeyboardEvent) => e.key === "Enter" && addEdit()} />
              <datalist id="cluster-names">${targets.slice(0, 2000).map((t) =>
                html`<option value=${t.name} />`
              )}</datalist>
              <button type="button" onClick=${addEdit}>Edit labels</button>
            </div>
            ${edits.map((e, i) =>
              html`
                <div class="edit" data-edit=${e.name}>
                  <label>${e.name} <input aria-label=${`Labels of ${e.name}`} value=${e.labels}
                            onInput=${(ev: Event) =>
                              setEdits(edits.map((x, j) =>
                                j === i
                                  ? { ...x, labels: (ev.target as HTMLInputElement).value }
                                  : x
                              ))} /></label>
                  <button type="button" aria-label=${`Drop the edit of ${e.name}`}
                    onClick=${() =>
                      setEdits(edits.filter((_x, j) => j !== i))}>✕</button>
                </div>
              `
            )}
          </fieldset>
      </div>
      <div aria-live="polite">
          ${error ? html`<p class="bad" role="alert">${error}</p>` : null}
          ${result ? html`<${Results} view=${result} />` : null}
        </div>
    </section>
  `;
}
