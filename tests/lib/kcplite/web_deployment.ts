/**
 * The Deployment `web` (namespace `default`, label `app: web`) that the kcp-lite kubectl
 * tests create, apply, patch and scale, as YAML for `kubectl … -f -`.
 *
 * @module
 */

/** Options of `webDeployment`. */
export interface WebDeploymentOptions {
  /** `spec.replicas` (default 1). */
  replicas?: number;
  /** The one container's name (default `main`). */
  container?: string;
  /** Its image (default `nginx:1`). */
  image?: string;
  /** More fields of the container, e.g. `{ ports: "[{containerPort: 80}]" }`. */
  containerFields?: Record<string, string>;
}

/** The YAML of Deployment `web`. */
export function webDeployment(options: WebDeploymentOptions = {}): string {
  const extra = Object.entries(options.containerFields ?? {})
    .map(([field, value]) => `        ${field}: ${value}\n`).join("");
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: ${options.replicas ?? 1}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: ${options.container ?? "main"}
        image: ${options.image ?? "nginx:1"}
${extra}`;
}
