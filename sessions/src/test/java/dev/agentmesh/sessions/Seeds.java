package dev.agentmesh.sessions;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeds for the property tests: {@code count} fresh ones, or only the one given as
 * {@code -Dagentmesh.seed=<seed>} to replay a failure. Each case prints its seed first.
 */
final class Seeds {

  private Seeds() {}

  static Stream<Long> of(int count) {
    String fixed = System.getProperty("agentmesh.seed");
    if (fixed != null) {
      return Stream.of(Long.parseLong(fixed));
    }
    long base = System.nanoTime();
    return LongStream.range(0, count).mapToObj(i -> base + i);
  }

  static void print(Class<?> test, long seed) {
    System.out.println("[" + test.getSimpleName() + "] seed " + seed + " (rerun with -Dagentmesh.seed=" + seed + ")");
  }
}
