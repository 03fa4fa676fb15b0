/**
 * The names the harness and the reference servers agree on for deliberate faults: the
 * environment variables the nemesis sets on a reference server, and the durability journal
 * the servers write and the `disk` nemesis reads. One place, so both sides cannot drift.
 */
/** `--inject-bug`: the seeded bug a reference server runs with. */
export const injectBugEnvVar = 'KZBENCH_INJECT_BUG';
/** `--nemesis disk`: keep a durability journal beside the logs. */
export const durabilityJournalEnvVar = 'KZBENCH_DURABILITY_JOURNAL';
/** The journal's file name: how far a log file is known to be on disk. */
export const durabilityJournalFile = 'kzbench-durable.json';
