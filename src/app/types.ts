/** Types the use cases share. */

/** The environment a use case reads (`${ENV:NAME}` in configs, provider keys); only the CLI and server read the process's. */
export type Env = Readonly<Record<string, string | undefined>>
