package dev.agentmesh.testsupport;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeds for property tests: {@code count} fresh ones, or only the one given as {@code
 * -Dagentmesh.seed=<seed>} to replay a failure. Each case prints its seed first.
 *
 * <pre>{@code
 * static Stream<Long> seeds() { return Seeds.of(25); }
 *
 * @ParameterizedTest @MethodSource("seeds")
 * void replayGivesTheSameState(long seed) {
 *   Seeds.print(getClass(), seed);
 *   Random random = new Random(seed);
 *   ...
 * }
 * }</pre>
 */
public final class Seeds {

  /** The system property that replays one seed. */
  public static final String PROPERTY = "agentmesh.seed";

  private Seeds() {}

  /**
   * {@code count} seeds from the nano clock, or the one in {@code -Dagentmesh.seed}.
   *
   * @param count how many fresh seeds
   * @return the seeds
   */
  public static Stream<Long> of(int count) {
    String fixed = System.getProperty(PROPERTY);
    if (fixed != null) {
      return Stream.of(Long.parseLong(fixed.strip()));
    }
    long base = System.nanoTime();
    return LongStream.range(0, count).mapToObj(i -> base + i);
  }

  /**
   * Prints the seed and how to replay it, where surefire keeps the test's output.
   *
   * @param test the test class
   * @param seed the seed of this case
   */
  public static void print(Class<?> test, long seed) {
    System.out.println(replay(test, seed));
  }

  /**
   * Prints the seed, how to replay it and what the case generated.
   *
   * @param test the test class
   * @param seed the seed of this case
   * @param what the generated input, for the reader
   */
  public static void print(Class<?> test, long seed, Object what) {
    System.out.println(replay(test, seed) + ": " + what);
  }

  static String replay(Class<?> test, long seed) {
    return "["
        + test.getSimpleName()
        + "] seed "
        + seed
        + " (rerun with -D"
        + PROPERTY
        + "="
        + seed
        + ")";
  }
}
