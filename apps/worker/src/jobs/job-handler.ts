import type { JobDataByName, JobName } from '#libs/queue';

/** One class per job: `run` reloads state from ids and is safe to call twice. */
export interface JobHandler<N extends JobName> {
  readonly name: N;
  run(data: JobDataByName[N]): Promise<unknown>;
}
