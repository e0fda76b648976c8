// What a command is to the command table (registry.ts): its words, help and flag definitions, and the module that
// runs it, with the module's flags typed from those definitions. Apart from registry.ts so that the operator
// commands' table can use defineCommand without importing the registry (a cycle).
import type {AnyFlags, TypedFlags} from 'meow';

/**
 * What a command runs with. `Flags` is the command's own flag definition object, so its flags are typed from it
 * (`CommandContext<typeof statusFlags>`): a flag name it does not define is a compile error.
 */
export type CommandContext<Flags extends AnyFlags = AnyFlags> = {
	/** Positional arguments after the command words. */
	input: string[];
	flags: TypedFlags<Flags>;
	/** Root options: --profile NAME, --dev. */
	profile?: string;
	dev: boolean;
	env: NodeJS.ProcessEnv;
};

// A function property, not a method: its parameter is then checked strictly, so a module whose `run` wants flags
// its spec does not define fails defineCommand.
export type CommandModule<Flags extends AnyFlags = AnyFlags> = {run: (context: CommandContext<Flags>) => Promise<number>};

export type CommandSpec<Flags extends AnyFlags = AnyFlags> = {
	words: string[];
	/** Words that may follow `words` and mean the command itself (`gateway run`); any other word is a typo'd subcommand. */
	aliasWords?: string[];
	summary: string;
	usage: string;
	flags: Flags;
	load(): Promise<CommandModule<Flags>>;
};

/**
 * Check a command's module against its own flag definitions, then file it in the table. The table forgets which
 * flags each command has; cli.tsx runs every command with the flags parsed from its own `flags`, so what this
 * check proved still holds there.
 */
export function defineCommand<Flags extends AnyFlags>(spec: CommandSpec<Flags>): CommandSpec {
	return spec as unknown as CommandSpec;
}
