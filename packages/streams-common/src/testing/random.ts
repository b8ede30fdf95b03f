/** Seeded PRNG (mulberry32) for reproducible randomised tests: the shared one. */
export { seededRandom } from '@streamrec/foundation';
