/**
 * The command line of `kubestellar-ensure-kcp-server-creds DOMAIN`: exactly one DNS
 * domain name (a DNS-1123 subdomain), or `-h`/`--help`. Kept apart from the PKI code
 * so that help and usage errors load no crypto library.
 *
 * @module
 */
import { UsageError, UserError } from "../cli/errors.ts";
import { validateDns1123Subdomain } from "../kube/names.ts";

/** What the arguments ask for. */
export type KcpServerCredsRequest = { help: true } | { help: false; domain: string };

/** The one-line usage text. */
export function kcpServerCredsUsage(prog: string): string {
  return `Usage: ${prog} dns-name`;
}

/**
 * Parses the arguments. Wrong argument count: exit 1 with the usage line (as upstream);
 * a domain that is not one word or not a DNS-1123 subdomain: exit 2.
 */
export function parseKcpServerCredsArgs(prog: string, args: string[]): KcpServerCredsRequest {
  const usage = kcpServerCredsUsage(prog);
  if (args.length === 1 && (args[0] === "-h" || args[0] === "--help")) return { help: true };
  if (args.length !== 1) {
    throw new UserError(
      `${prog}: expected exactly one argument, the DNS domain name, but got ${args.length}`,
      1,
      [usage],
    );
  }
  const domain = args[0];
  if (domain.trim().split(/\s+/).length !== 1 || /\s/.test(domain)) {
    throw new UsageError(`${prog}: the given domain name must be one word`, 2);
  }
  const problems = validateDns1123Subdomain(domain);
  if (problems.length > 0) {
    const shown = domain.length > 80 ? domain.slice(0, 77) + "..." : domain;
    throw new UsageError(
      `${prog}: invalid domain name ${JSON.stringify(shown)}: ${problems[0]}`,
      2,
    );
  }
  return { help: false, domain };
}
