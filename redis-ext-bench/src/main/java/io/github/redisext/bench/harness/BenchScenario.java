package io.github.redisext.bench.harness;

/**
 * One primitive's benchmark scenario, run by {@link BenchRunner} after the raw-Redis ceilings
 * were measured against the same server. Implementations need a public no-argument constructor.
 */
public interface BenchScenario {
  /** Short name, e.g. {@code "worker"}. */
  String name();

  /** Runs the scenario and reports its figures through {@link BenchContext#report}. */
  void run(BenchContext ctx) throws Exception;
}
