/// <reference lib="dom" />
/**
 * The page's shell: header with the three views (Fleet, Placements, What-if) as
 * links, the connection status (to the CLI and, through it, to the hub) with a banner
 * while either is lost, and hash routing (`#/fleet`, `#/placements/WMW/NAME`,
 * `#/whatif`), which keeps the token in the query string untouched.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { ago } from "./format.ts";
import { useLive } from "./hooks.ts";
import { FleetPage } from "./fleet_page.ts";
import { PlacementsPage } from "./placements_page.ts";
import { WhatIfPage } from "./whatif_page.ts";
import { html } from "./widgets.ts";

interface Route {
  view: "fleet" | "placements" | "whatif";
  selected?: { wmw: string; name: string };
}

/** The route of a location hash. */
export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts[0] === "placements") {
    return parts.length >= 3 && parts[1] && parts[2]
      ? { view: "placements", selected: { wmw: parts[1], name: parts[2] } }
      : { view: "placements" };
  }
  if (parts[0] === "whatif") return { view: "whatif" };
  return { view: "fleet" };
}

function Status() {
  const live = useLive();
  const hub = live.hub;
  const cliOk = live.cli === "open";
  const hubOk = !!hub?.connected && !hub.waiting;
  const banner = live.cli === "denied"
    ? "This page's token is no longer valid: open the URL kubestellar ui printed when it started."
    : live.cli === "lost"
    ? "Lost the connection to kubestellar ui. Reconnecting…"
    : live.cli === "open" && hub && hub.waiting
    ? `Waiting for ${hub.waiting}.`
    : live.cli === "open" && hub && !hub.connected
    ? `The hub is unreachable since ${ago(hub.since)}: ${
      hub.error ?? "no answer"
    }. Showing what was last seen; reconnecting…`
    : "";
  return html`<div class="status">
    <span class=${`conn ${cliOk ? "ok" : "bad"}`} data-conn="cli">CLI ${
    cliOk ? "connected" : live.cli
  }</span>
    <span class=${`conn ${hubOk ? "ok" : "bad"}`} data-conn="hub">hub ${
    hubOk ? "connected" : hub?.waiting ? "waiting" : "unreachable"
  }</span>
    ${banner ? html`<div class="banner" role="alert" data-banner>${banner}</div>` : null}
    ${
    hub && hub.problems.length
      ? html`
        <details class="hubproblems">
          <summary>${hub.problems.length} read problems</summary>
          <ul>${hub.problems.map((p) => html`<li>${p}</li>`)}</ul>
        </details>
      `
      : null
  }
  </div>`;
}

/** The whole page. */
export function App() {
  const [route, setRoute] = useState(routeOf(location.hash));
  useEffect(() => {
    const on = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  const live = useLive();
  useEffect(() => {
    document.body.dataset.generation = String(live.generation);
  });
  const tab = (view: Route["view"], href: string, label: string) =>
    html`<a href=${href} aria-current=${route.view === view ? "page" : undefined}>${label}</a>`;
  return html`
    <div class="app">
      <header>
        <h1><span class="logo" aria-hidden="true">✦</span> KubeStellar</h1>
        <nav aria-label="Views">
            ${tab("fleet", "#/fleet", "Fleet")}
            ${tab("placements", "#/placements", "Placements")}
            ${tab("whatif", "#/whatif", "What-if")}
          </nav>
        <${Status} />
      </header>
      <main>
          ${route.view === "fleet"
            ? html`<${FleetPage} />`
            : route.view === "placements"
            ? html`<${PlacementsPage} selected=${route.selected} />`
            : html`<${WhatIfPage} />`}
        </main>
      <footer class="muted small">Read-only view · live from the hub · nothing here writes</footer>
    </div>
  `;
}
