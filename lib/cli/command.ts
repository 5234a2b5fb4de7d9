/**
 * The contract between the command tree and each command module.
 *
 * Every module under `commands/` exports `main(ctx)`; the tree imports it lazily so
 * that `--help`, versions and usage errors never load client-node.
 *
 * @module
 */

/** What a command receives from the entry point. */
export interface CommandContext {
  /**
   * The name to use in messages where the upstream scripts printed `$0`
   * (for example `kubestellar-ensure-kcp-server-creds` or `kubectl-kubestellar-ensure-location`).
   */
  prog: string;
  /** The command's own arguments, raw and in order (nothing parsed yet). */
  args: string[];
}

/** A command's entry: resolves to the exit code (undefined means 0). */
export type CommandMain = (ctx: CommandContext) => Promise<number | void>;

/** The shape of a lazily loaded command module. */
export interface CommandModule {
  main: CommandMain;
}
