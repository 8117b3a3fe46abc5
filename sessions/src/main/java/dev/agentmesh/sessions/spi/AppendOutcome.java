package dev.agentmesh.sessions.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SessionStore#appendAll} did with one {@link Append}: stored it, or refused it with
 * the exception {@link SessionStore#append} would have thrown (then nothing of it was stored).
 *
 * <pre>{@code
 * for (AppendOutcome o : store.appendAll(appends)) {
 *   if (!o.stored()) {
 *     log.info("{} was refused: {}", o.append().sessionId(), o.refusal().getMessage());
 *   }
 * }
 * }</pre>
 *
 * @param append the append, as given
 * @param refusal null when it was stored; else the {@link VersionConflictException}, {@link
 *     LeaseLostException} or {@link RowConflictException} that refused it
 */
public record AppendOutcome(Append append, @Nullable RuntimeException refusal) {

  /**
   * Checks the fields.
   *
   * @param append as described on the record
   * @param refusal as described on the record
   */
  public AppendOutcome {
    Objects.requireNonNull(append, "append");
  }

  /**
   * The append was stored: its session is now at {@link Append#newVersion()}.
   *
   * @param append the append
   * @return the outcome
   */
  public static AppendOutcome stored(Append append) {
    return new AppendOutcome(append, null);
  }

  /**
   * The append was refused; nothing of it was stored.
   *
   * @param append the append
   * @param refusal why: a version conflict, a lost lease, or a row write's failed condition
   * @return the outcome
   */
  public static AppendOutcome refused(Append append, RuntimeException refusal) {
    return new AppendOutcome(append, Objects.requireNonNull(refusal, "refusal"));
  }

  /**
   * Whether the append was stored.
   *
   * @return true when stored
   */
  public boolean stored() {
    return refusal == null;
  }

  /** Refuses a batch with two appends of one session, or two writes of one row. */
  static void checkDistinct(java.util.List<Append> appends) {
    java.util.Set<String> sessions = new java.util.HashSet<>();
    java.util.List<RowWrite> rows = new java.util.ArrayList<>();
    for (Append a : appends) {
      Objects.requireNonNull(a, "appends must not contain null");
      if (!sessions.add(a.sessionId())) {
        throw new IllegalArgumentException(
            "appendAll takes at most one append per session but session '"
                + a.sessionId()
                + "' has two; merge their events into one append");
      }
      rows.addAll(a.rows());
    }
    RowWrite.checked(rows);
  }
}
