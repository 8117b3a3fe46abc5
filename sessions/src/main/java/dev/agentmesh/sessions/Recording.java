package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.RowWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a module appends to a session in one transaction: events and, optionally, row writes ({@link
 * RowWrite}) stored with them. Returned by the decision given to {@link Session#record}, by an
 * {@link OutputGate} that holds an output, and by {@link CallGate#record} for a suspension.
 *
 * <pre>{@code
 * session.record(state -> state.waits().containsKey("review:r-1")
 *     ? Recording.of(new SessionEvent.Custom(now, "review.decided", decision),
 *             new SessionEvent.InputReceived(now, "review:r-1", decision, "ana"))
 *         .withRows(RowWrite.delete("review.pending", "r-1"))
 *     : Recording.none());
 * }</pre>
 *
 * <p>Only these events may be recorded by a module: {@link SessionEvent.Custom}, {@link
 * SessionEvent.MessagePosted}, {@link SessionEvent.WaitingForInput}, {@link
 * SessionEvent.InputReceived}, {@link SessionEvent.Completed}, {@link SessionEvent.Failed}, {@link
 * SessionEvent.Cancelled} and {@link SessionEvent.OutcomeResolved}; the others are the runtime's
 * own. Rows without events are refused: rows travel with the events that explain them. Immutable
 * and thread-safe.
 */
public final class Recording {

  private static final Recording NONE = new Recording(List.of(), List.of());

  /** The event types a module may record, by class. */
  private static final Set<Class<?>> ALLOWED =
      Set.of(
          SessionEvent.Custom.class,
          SessionEvent.MessagePosted.class,
          SessionEvent.WaitingForInput.class,
          SessionEvent.InputReceived.class,
          SessionEvent.Completed.class,
          SessionEvent.Failed.class,
          SessionEvent.Cancelled.class,
          SessionEvent.OutcomeResolved.class);

  private final List<SessionEvent> events;
  private final List<RowWrite> rows;

  private Recording(List<SessionEvent> events, List<RowWrite> rows) {
    this.events = events;
    this.rows = rows;
  }

  /**
   * A recording of {@code events}, in order.
   *
   * @param events the events to append
   * @return the recording
   * @throws IllegalArgumentException if an event is of a type modules may not record (see {@link
   *     Recording}); the message names it and the allowed types
   */
  public static Recording of(SessionEvent... events) {
    return of(List.of(events));
  }

  /**
   * A recording of {@code events}, in order.
   *
   * @param events the events to append
   * @return the recording
   * @throws IllegalArgumentException if an event is of a type modules may not record (see {@link
   *     Recording}); the message names it and the allowed types
   */
  public static Recording of(List<? extends SessionEvent> events) {
    List<SessionEvent> copy = List.copyOf(events);
    for (SessionEvent event : copy) {
      if (!ALLOWED.contains(event.getClass())) {
        throw new IllegalArgumentException(
            "A module may not record a "
                + event.type()
                + " event ("
                + event.getClass().getSimpleName()
                + "): the runtime writes those itself. Record Custom, MessagePosted,"
                + " WaitingForInput, InputReceived, Completed, Failed, Cancelled or"
                + " OutcomeResolved events");
      }
    }
    return copy.isEmpty() ? NONE : new Recording(copy, List.of());
  }

  /**
   * Records nothing: the session is left as it is.
   *
   * @return the empty recording
   */
  public static Recording none() {
    return NONE;
  }

  /**
   * This recording with {@code writes} added, applied in the same transaction as its events.
   *
   * @param writes the row writes
   * @return a new recording
   * @throws IllegalArgumentException if this recording has no events
   */
  public Recording withRows(RowWrite... writes) {
    return withRows(List.of(writes));
  }

  /**
   * This recording with {@code writes} added, applied in the same transaction as its events.
   *
   * @param writes the row writes
   * @return a new recording
   * @throws IllegalArgumentException if this recording has no events
   */
  public Recording withRows(List<RowWrite> writes) {
    if (events.isEmpty() && !writes.isEmpty()) {
      throw new IllegalArgumentException(
          "Rows travel with the events that explain them, but this recording has no events; add"
              + " a Custom event saying what the rows record");
    }
    List<RowWrite> all = new ArrayList<>(rows);
    all.addAll(writes);
    return new Recording(events, List.copyOf(all));
  }

  /**
   * The events, in append order.
   *
   * @return the events; empty for {@link #none()}
   */
  public List<SessionEvent> events() {
    return events;
  }

  /**
   * The row writes applied with the events.
   *
   * @return the row writes
   */
  public List<RowWrite> rows() {
    return rows;
  }

  /**
   * Whether it records nothing.
   *
   * @return true when there are no events
   */
  public boolean isEmpty() {
    return events.isEmpty();
  }

  /** This recording followed by {@code next}, unchecked (both were checked when made). */
  Recording then(Recording next) {
    if (next.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return next;
    }
    List<SessionEvent> e = new ArrayList<>(events);
    e.addAll(next.events);
    List<RowWrite> r = new ArrayList<>(rows);
    r.addAll(next.rows);
    return new Recording(List.copyOf(e), List.copyOf(r));
  }

  /** Runtime events first, then this recording's (the runtime's own events are not checked). */
  Recording after(List<SessionEvent> runtime) {
    List<SessionEvent> e = new ArrayList<>(runtime);
    e.addAll(events);
    return new Recording(List.copyOf(e), rows);
  }

  /** The runtime's own events, unchecked, with no rows. */
  static Recording runtime(List<SessionEvent> events) {
    return events.isEmpty() ? NONE : new Recording(List.copyOf(events), List.of());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Recording r && r.events.equals(events) && r.rows.equals(rows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(events, rows);
  }

  @Override
  public String toString() {
    return "Recording{events="
        + events.stream().map(SessionEvent::type).toList()
        + ", rows="
        + rows.size()
        + "}";
  }
}
