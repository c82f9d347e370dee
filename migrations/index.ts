import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';

/** Every migration, oldest first: listed here so the same list works from ts and from dist. */
export const MIGRATIONS = [InitialSchema1763800000000];
