import fc from 'fast-check';

/*
 * The property tests are a gate, so they run the same inputs on every run: a failure in CI is the
 * code's, not the draw's. `npm run fuzz` explores new inputs; TEREDOSCOPE_PROPERTY_SEED=N replays
 * another draw here (a failing property prints the seed to put there).
 */
const chosen = process.env.TEREDOSCOPE_PROPERTY_SEED;
const seed = chosen === undefined || chosen === '' ? 20261203 : Number.parseInt(chosen, 10);
if (!Number.isSafeInteger(seed)) throw new Error(`TEREDOSCOPE_PROPERTY_SEED: '${chosen}' is not an integer`);
fc.configureGlobal({ seed });
