package dev.agentmesh.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which missed occurrences fire after downtime. {@link #due} is a pure function of the schedule,
 * the last occurrence already handled (claimed) and {@code now}: every node computes the same
 * answer, and calling it again with the returned watermark never fires an occurrence twice.
 *
 * <pre>{@code
 * CatchUpPolicy policy = CatchUpPolicy.allWithin(Duration.ofHours(6));
 * DueOccurrences due = policy.due(schedule, lastHandled, clock.instant());
 * }</pre>
 *
 * <p>An occurrence is due when its scheduled instant is after {@code lastHandled} and at or before
 * {@code now}. For a trigger that has never fired, pass the instant it was registered.
 */
public sealed interface CatchUpPolicy {

  /**
   * Fire every due occurrence no older than {@code window}, oldest first; drop older ones.
   *
   * @param window how old a due occurrence may be
   * @return the policy
   */
  static CatchUpPolicy allWithin(Duration window) {
    return new AllWithin(window);
  }

  /**
   * {@return a policy that fires only the most recent due occurrence, however old, and drops the
   * rest}
   */
  static CatchUpPolicy latest() {
    return new Latest();
  }

  /**
   * Fire nothing missed: only the most recent due occurrence, and only if it is no older than a
   * minute (a poll a little late is still on time).
   *
   * @return the policy
   */
  static CatchUpPolicy none() {
    return new None(Duration.ofMinutes(1));
  }

  /**
   * The occurrences to fire at {@code now}, and the watermark to record.
   *
   * @param schedule the trigger's schedule
   * @param lastHandled the watermark recorded last
   * @param now the current time
   * @return what to fire and the new watermark
   */
  DueOccurrences due(Schedule schedule, Instant lastHandled, Instant now);

  /**
   * See {@link CatchUpPolicy#allWithin}.
   *
   * @param window how old a due occurrence may be
   */
  record AllWithin(Duration window) implements CatchUpPolicy {
    /**
     * Checks the window is there and not negative.
     *
     * @param window how old a due occurrence may be
     */
    public AllWithin {
      requireNotNegative(window, "window");
    }

    @Override
    public DueOccurrences due(Schedule schedule, Instant lastHandled, Instant now) {
      Instant oldest = now.minus(window).minusNanos(1);
      List<Instant> fire = between(schedule, later(lastHandled, oldest), now);
      return DueOccurrences.of(fire, fire.isEmpty() ? latestDue(schedule, lastHandled, now) : null);
    }
  }

  /** See {@link CatchUpPolicy#latest}. */
  record Latest() implements CatchUpPolicy {
    @Override
    public DueOccurrences due(Schedule schedule, Instant lastHandled, Instant now) {
      Instant latest = latestDue(schedule, lastHandled, now);
      return latest == null ? DueOccurrences.none() : DueOccurrences.of(List.of(latest), latest);
    }
  }

  /**
   * See {@link CatchUpPolicy#none}; {@code grace} is how late an occurrence may still fire.
   *
   * @param grace how late an occurrence may still fire
   */
  record None(Duration grace) implements CatchUpPolicy {
    /**
     * Checks the grace is there and not negative.
     *
     * @param grace how late an occurrence may still fire
     */
    public None {
      requireNotNegative(grace, "grace");
    }

    @Override
    public DueOccurrences due(Schedule schedule, Instant lastHandled, Instant now) {
      Instant latest = latestDue(schedule, lastHandled, now);
      if (latest == null) {
        return DueOccurrences.none();
      }
      boolean onTime = !latest.isBefore(now.minus(grace));
      return DueOccurrences.of(onTime ? List.of(latest) : List.of(), latest);
    }
  }

  /** The occurrences in {@code (after, until]}, in order. */
  private static List<Instant> between(Schedule schedule, Instant after, Instant until) {
    List<Instant> found = new ArrayList<>();
    for (Instant t = schedule.nextAfter(after);
        t != null && !t.isAfter(until);
        t = schedule.nextAfter(t)) {
      found.add(t);
    }
    return found;
  }

  /**
   * The latest occurrence in {@code (after, until]}, or null. Looks back from {@code until} in
   * doubling steps, so a long downtime costs a few dozen calls rather than one per occurrence.
   */
  private static @Nullable Instant latestDue(Schedule schedule, Instant after, Instant until) {
    for (Duration back = Duration.ofSeconds(1); ; back = back.multipliedBy(2)) {
      Instant from = until.minus(back).isAfter(after) ? until.minus(back) : after;
      List<Instant> found = between(schedule, from, until);
      if (!found.isEmpty()) {
        return found.get(found.size() - 1);
      }
      if (from.equals(after)) {
        return null;
      }
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static void requireNotNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + d);
    }
  }
}
