/** The benchmark harness: raw-Redis ceilings and the runner every primitive's scenario plugs into. */
package io.github.redisext.bench.harness;
