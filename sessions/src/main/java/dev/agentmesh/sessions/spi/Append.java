package dev.agentmesh.sessions.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request to {@link SessionStore#append(Append) append} events to a session's log: the session,
 * the version the writer expects it at, the events, the summary after them, and, for the node that
 * drives the session, the {@link Lease} that fences it.
 *
 * <pre>{@code
 * long v = store.append(Append.of("s-1", 0, List.of(created), summary));                 // a command
 * v = store.append(Append.of("s-1", v, List.of(step), next).fencedBy(lease));             // a driver
 * }</pre>
 *
 * <p>Other modules' rows ride along with {@link #withRows}: they are written in the same
 * transaction as the events, so a trigger's claim or a review's pending row and its event never
 * disagree.
 *
 * <p>Commands from anywhere (a post, a pause, a human's resolution) are checked by version alone; a
 * driver's appends carry its lease and are refused with {@link LeaseLostException} once the lease
 * has passed to another holder. Immutable.
 */
public final class Append {

  private final String sessionId;
  private final long expectedVersion;
  private final List<NewEvent> events;
  private final SessionSummary summary;
  private final @Nullable Lease lease;
  private final List<RowWrite> rows;

  private Append(
      String sessionId,
      long expectedVersion,
      List<NewEvent> events,
      SessionSummary summary,
      @Nullable Lease lease,
      List<RowWrite> rows) {
    this.sessionId = sessionId;
    this.expectedVersion = expectedVersion;
    this.events = events;
    this.summary = summary;
    this.lease = lease;
    this.rows = rows;
  }

  /**
   * Appends {@code events} to {@code sessionId} if it is at {@code expectedVersion} (0 creates it),
   * replacing its summary with {@code summary}.
   *
   * @param sessionId the session to append to
   * @param expectedVersion the version the session must be at; 0 creates it
   * @param events the events to store, at least one
   * @param summary the session's summary after these events
   * @return a command checked by version alone
   * @throws IllegalArgumentException for a blank id, a negative version, no events, or a summary of
   *     another session
   */
  public static Append of(
      String sessionId, long expectedVersion, List<NewEvent> events, SessionSummary summary) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (sessionId.isBlank() || sessionId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Session id must be non-blank text without U+0000 but was '" + sessionId + "'");
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          "expectedVersion of session '"
              + sessionId
              + "' must not be negative but was "
              + expectedVersion
              + "; use 0 to create it");
    }
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      throw new IllegalArgumentException(
          "An append to session '"
              + sessionId
              + "' needs at least one event; the version counts events");
    }
    events.forEach(e -> Objects.requireNonNull(e, "events must not contain null"));
    Objects.requireNonNull(summary, "summary");
    if (!summary.id().equals(sessionId)) {
      throw new IllegalArgumentException(
          "The summary is of session '"
              + summary.id()
              + "' but the append is to session '"
              + sessionId
              + "'; pass that session's summary");
    }
    return new Append(sessionId, expectedVersion, List.copyOf(events), summary, null, List.of());
  }

  /**
   * This append, stored only while {@code lease} is still the session's current lease (same epoch),
   * checked in the same transaction as the insert.
   *
   * @param lease the lease the caller holds on this session
   * @return a copy of this append, fenced by {@code lease}
   * @throws IllegalArgumentException if the lease is of another session, or this append creates the
   *     session (a lease needs an existing session)
   */
  public Append fencedBy(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    if (!lease.sessionId().equals(sessionId)) {
      throw new IllegalArgumentException(
          "The lease is of session '"
              + lease.sessionId()
              + "' but the append is to session '"
              + sessionId
              + "'; pass that session's lease");
    }
    if (expectedVersion == 0) {
      throw new IllegalArgumentException(
          "An append that creates session '"
              + sessionId
              + "' cannot be fenced by a lease: a lease needs an existing session");
    }
    return new Append(sessionId, expectedVersion, events, summary, lease, rows);
  }

  /**
   * The session the events go to.
   *
   * @return the session's id
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * The version the session must be at for the append to be stored; 0 creates it.
   *
   * @return the expected version
   */
  public long expectedVersion() {
    return expectedVersion;
  }

  /**
   * The events, at least one, stored as versions {@code expectedVersion + 1, ...}.
   *
   * @return the events, read-only
   */
  public List<NewEvent> events() {
    return events;
  }

  /**
   * The session's summary after these events, replacing the stored one.
   *
   * @return the new summary
   */
  public SessionSummary summary() {
    return summary;
  }

  /**
   * The version after this append: {@code expectedVersion + events().size()}.
   *
   * @return the version the session is at once this append is stored
   */
  public long newVersion() {
    return expectedVersion + events.size();
  }

  /**
   * The lease that fences this append, or null for a command checked by version alone.
   *
   * @return the fencing lease, or null
   */
  public @Nullable Lease lease() {
    return lease;
  }

  // ---- other modules' rows -----------------------------------------------------------------

  /**
   * This append, also applying {@code writes} to other modules' rows in the same transaction: the
   * events, the summary and every row write are stored together, or none of them. A write whose
   * condition fails ({@link RowWrite#insert insert} of a taken key, {@link RowWrite#deleteExisting
   * deleteExisting} of a missing row) refuses the whole append with {@link RowConflictException}.
   * Replaces the writes given before.
   *
   * @param writes the row writes, each {@code (namespace, key)} at most once
   * @return a copy of this append with the row writes
   * @throws IllegalArgumentException if a row is written twice
   */
  public Append withRows(List<RowWrite> writes) {
    return new Append(sessionId, expectedVersion, events, summary, lease, RowWrite.checked(writes));
  }

  /**
   * {@code withRows(List.of(writes))}.
   *
   * @param writes the row writes, each {@code (namespace, key)} at most once
   * @return a copy of this append with the row writes
   * @throws IllegalArgumentException if a row is written twice
   */
  public Append withRows(RowWrite... writes) {
    return withRows(List.of(writes));
  }

  /**
   * The row writes applied with the events, in order; empty for most appends.
   *
   * @return the row writes, read-only
   */
  public List<RowWrite> rows() {
    return rows;
  }

  @Override
  public String toString() {
    return "Append{session="
        + sessionId
        + ", expectedVersion="
        + expectedVersion
        + ", events="
        + events.size()
        + (lease == null ? "" : ", epoch=" + lease.epoch())
        + (rows.isEmpty() ? "" : ", rows=" + rows.size())
        + "}";
  }
}
