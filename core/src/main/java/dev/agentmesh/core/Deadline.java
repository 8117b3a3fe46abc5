package dev.agentmesh.core;

import dev.agentmesh.core.LimitExceededException.Limit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a run must end, on the mesh clock, and the failure it then ends with. A child agent's run
 * takes its parent's deadline when that comes first, so the parent's limit, in the parent's words,
 * ends both. Immutable.
 *
 * <p>On the system clock (the default) a deadline is kept in {@link System#nanoTime()}: reading it
 * costs a fraction of reading the wall clock, which a run does several times per step, and a wall
 * clock set back or forward does not move it. On any other clock (a test's) it is kept on that
 * clock.
 */
final class Deadline {

  /**
   * How long after its deadline a run may take to fail: a model that {@link
   * dev.agentmesh.core.spi.ChatModel#honoursTimeout() honours the timeout} gets this long to return
   * before its thread is interrupted, and its TIMEOUT failure this close to the deadline counts as
   * the deadline's.
   */
  static final Duration GRACE = Duration.ofMillis(100);

  /** The class of {@link Clock#systemUTC()} and {@link Clock#systemDefaultZone()}. */
  private static final Class<?> SYSTEM_CLOCK = Clock.systemUTC().getClass();

  private final Clock clock;

  /** Whether the deadline is kept in {@link System#nanoTime()} ({@link #atNanos}). */
  private final boolean monotonic;

  /** The deadline on {@link #clock}, when not {@link #monotonic}. */
  private final Instant at;

  /** The deadline in {@link System#nanoTime()}, when {@link #monotonic}. */
  private final long atNanos;

  private final String agent;
  private final String runId;
  private final Duration timeout;

  private Deadline(
      Clock clock,
      boolean monotonic,
      Instant at,
      long atNanos,
      String agent,
      String runId,
      Duration timeout) {
    this.clock = clock;
    this.monotonic = monotonic;
    this.at = at;
    this.atNanos = atNanos;
    this.agent = agent;
    this.runId = runId;
    this.timeout = timeout;
  }

  /** The deadline of a run starting now: its own timeout from now, or its parent's if sooner. */
  static Deadline start(
      Clock clock, String agent, String runId, Duration timeout, @Nullable Deadline parent) {
    // The parent's comes first when less than this run's timeout is left of it.
    if (parent != null && parent.remaining().compareTo(timeout) < 0) return parent;
    if (clock.getClass() == SYSTEM_CLOCK) {
      long atNanos = System.nanoTime() + timeout.toNanos();
      return new Deadline(clock, true, Instant.EPOCH, atNanos, agent, runId, timeout);
    }
    return new Deadline(clock, false, clock.instant().plus(timeout), 0, agent, runId, timeout);
  }

  /** The time left, never negative. */
  Duration remaining() {
    if (monotonic) {
      long left = atNanos - System.nanoTime();
      return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * The deadline plus {@code extra} as a {@link System#nanoTime()} value, for the {@link Watchdog}:
   * on the system clock read from no clock at all; on another clock, from the time left now.
   */
  /**
   * Whether it is kept on {@link System#nanoTime()} (the system clock's runs), so that a {@link
   * Watchdog.Watch} can tell when it passes; a run on another clock reads that clock instead.
   */
  boolean isMonotonic() {
    return monotonic;
  }

  long nanoTimeAt(Duration extra) {
    long at = monotonic ? atNanos : System.nanoTime() + remaining().toNanos();
    return at + extra.toNanos();
  }

  /**
   * The time left in whole milliseconds, rounded up so that a wait never ends before the deadline.
   */
  long remainingMillis() {
    return roundedUpMillis(remaining());
  }

  /** {@code left} in whole milliseconds, rounded up. */
  static long roundedUpMillis(Duration left) {
    long millis = left.toMillis();
    return left.equals(Duration.ofMillis(millis)) ? millis : millis + 1;
  }

  boolean passed() {
    if (monotonic) return System.nanoTime() - atNanos >= 0;
    return !clock.instant().isBefore(at);
  }

  /** Whether the deadline is no more than {@code margin} away, or passed. */
  boolean within(Duration margin) {
    if (monotonic) return System.nanoTime() + margin.toNanos() - atNanos >= 0;
    return !clock.instant().plus(margin).isBefore(at);
  }

  /** The failure of a run that passed its deadline between steps or in a tool. */
  LimitExceededException exceeded() {
    return exceeded("", "make its tools faster", null);
  }

  /**
   * The failure of a run whose deadline passed while {@code agentCalling} waited for {@code model}.
   */
  LimitExceededException exceededWaitingFor(
      String model, String agentCalling, @Nullable Throwable cause) {
    String whose = agentCalling.equals(agent) ? "" : " of agent '" + agentCalling + "'";
    return exceeded(
        " while waiting for model '" + model + "'" + whose, "use a faster model", cause);
  }

  /**
   * The failure of a run whose deadline passed while it queued for a permit of {@code alias}'s
   * concurrency limit.
   */
  LimitExceededException exceededWaitingForPermit(
      String alias, int limit, String model, @Nullable Throwable cause) {
    return exceeded(
        " while waiting for one of the "
            + limit
            + " permits of model alias '"
            + alias
            + "' (model '"
            + model
            + "'; every permit was in use by other calls)",
        "raise the alias's limit in Mesh.builder().modelConcurrency(\""
            + alias
            + "\", "
            + limit
            + ")",
        cause);
  }

  /** The failure of a deterministic run whose deadline passed while its function ran. */
  LimitExceededException exceededRunning(String function) {
    return exceeded(" while running function '" + function + "'", "make the function faster", null);
  }

  private LimitExceededException exceeded(String during, String advice, @Nullable Throwable cause) {
    return new LimitExceededException(
        agent,
        runId,
        Limit.TIMEOUT,
        "Agent '"
            + agent
            + "' ran longer than its timeout of "
            + Durations.format(timeout)
            + during
            + ". Raise limits.timeout in its spec, or "
            + advice
            + ".",
        cause);
  }
}
