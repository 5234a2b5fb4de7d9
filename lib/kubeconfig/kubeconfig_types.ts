/**
 * The shapes of kubeconfig entries, with the field names kubectl writes.
 *
 * Entries are plain objects as they appear in the YAML: unknown fields (extensions,
 * exec plugins, proxy settings) are carried along untouched.
 *
 * @module
 */

/** A `clusters[].cluster` value. */
export interface KubeCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
  [field: string]: unknown;
}

/** A `contexts[].context` value. */
export interface KubeContext {
  cluster?: string;
  user?: string;
  namespace?: string;
  [field: string]: unknown;
}

/** A `users[].user` value. */
export interface KubeUser {
  token?: string;
  tokenFile?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  username?: string;
  password?: string;
  [field: string]: unknown;
}

/** The three named lists of a kubeconfig. */
export type EntryKind = "clusters" | "contexts" | "users";

/** The value type held by each kind of list. */
export interface EntryValue {
  clusters: KubeCluster;
  contexts: KubeContext;
  users: KubeUser;
}

/** The key under which each kind of list item holds its value. */
export const VALUE_KEY: Record<EntryKind, "cluster" | "context" | "user"> = {
  clusters: "cluster",
  contexts: "context",
  users: "user",
};

/** A named entry and the file it came from. */
export interface NamedEntry<T> {
  name: string;
  value: T;
  /** Path of the kubeconfig file holding the entry. */
  file: string;
}
