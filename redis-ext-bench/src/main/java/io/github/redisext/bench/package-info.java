/** The benchmark entry point; see {@link io.github.redisext.bench.BenchMain}. */
package io.github.redisext.bench;
