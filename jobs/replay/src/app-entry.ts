/** The replay job's Redis version operations (the CLI is `npm run replay`), for tests and other jobs. */
export { dropVersion, scanKeys, switchActiveVersion, versionKeys, versionOffsets, versionsPresent } from './adapters/redis-versions.js';
