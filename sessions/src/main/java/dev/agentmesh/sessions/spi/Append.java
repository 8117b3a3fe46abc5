package dev.agentmesh.sessions.spi;

import java.time.Instant;
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
 * has passed to another holder. The lease can also change hands in the append's own transaction, so
 * a durable turn needs no commits of its own for it: a creation {@link #leasedTo leased to} the
 * node that drives it, and the drive's last append {@link #releasingLease releasing} it. Immutable.
 */
public final class Append {

  private final String sessionId;
  private final long expectedVersion;
  private final List<NewEvent> events;
  private final SessionSummary summary;
  private final @Nullable Lease lease;
  private final List<RowWrite> rows;
  private final @Nullable Lease grants;
  private final boolean releases;

  private Append(
      String sessionId,
      long expectedVersion,
      List<NewEvent> events,
      SessionSummary summary,
      @Nullable Lease lease,
      List<RowWrite> rows,
      @Nullable Lease grants,
      boolean releases) {
    this.sessionId = sessionId;
    this.expectedVersion = expectedVersion;
    this.events = events;
    this.summary = summary;
    this.lease = lease;
    this.rows = rows;
    this.grants = grants;
    this.releases = releases;
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
    return new Append(
        sessionId, expectedVersion, List.copyOf(events), summary, null, List.of(), null, false);
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
    if (grants != null) {
      throw new IllegalArgumentException(
          "An append that creates session '"
              + sessionId
              + "' with its lease cannot also be fenced by a lease");
    }
    return new Append(sessionId, expectedVersion, events, summary, lease, rows, null, releases);
  }

  /**
   * This append, which creates the session, also gives its lease to {@code owner} until {@code
   * expiresAt}, at epoch 1, in the same transaction: the node that creates a session and drives it
   * at once needs no separate {@link SessionStore#tryAcquireLease acquire}. The lease is {@link
   * #grantedLease()}; fence the drive's later appends with it.
   *
   * <pre>{@code
   * Append create = Append.of("s-1", 0, List.of(created), summary).leasedTo("node-a", now.plus(ttl));
   * store.append(create);
   * Lease lease = create.grantedLease(); // epoch 1, held by node-a
   * }</pre>
   *
   * @param owner the node that will drive the new session
   * @param expiresAt when the lease ends unless renewed
   * @return a copy of this append that also leases the new session
   * @throws IllegalArgumentException if this append does not create the session ({@code
   *     expectedVersion} is not 0), or the owner is blank
   */
  public Append leasedTo(String owner, Instant expiresAt) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (expectedVersion != 0) {
      throw new IllegalArgumentException(
          "Only an append that creates a session can lease it, but the append to session '"
              + sessionId
              + "' expects version "
              + expectedVersion
              + "; use SessionStore.tryAcquireLease for an existing session");
    }
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
    return new Append(
        sessionId,
        expectedVersion,
        events,
        summary,
        null,
        rows,
        new Lease(sessionId, owner, 1, expiresAt),
        releases);
  }

  /**
   * This fenced append also releases the lease, in the same transaction, when it is stored: the
   * driver's last append of a drive (the answer, the output and the completion) gives the session
   * back without a separate {@link SessionStore#releaseLease release}. A refused append releases
   * nothing.
   *
   * <pre>{@code
   * store.append(Append.of("s-1", v, List.of(output, completed), summary).fencedBy(lease).releasingLease());
   * }</pre>
   *
   * @return a copy of this append that releases the lease
   * @throws IllegalStateException if this append is not {@link #fencedBy fenced} by a lease
   */
  public Append releasingLease() {
    if (lease == null) {
      throw new IllegalStateException(
          "Only an append fenced by a lease can release it; call fencedBy(lease) first on the"
              + " append to session '"
              + sessionId
              + "'");
    }
    return new Append(sessionId, expectedVersion, events, summary, lease, rows, grants, true);
  }

  /**
   * The lease this append gives its new session ({@link #leasedTo}), or null.
   *
   * @return the lease granted with the creation, at epoch 1, or null
   */
  public @Nullable Lease grantedLease() {
    return grants;
  }

  /**
   * Whether this append releases its fencing lease once stored ({@link #releasingLease}).
   *
   * @return true if the lease is released in the append's transaction
   */
  public boolean releasesLease() {
    return releases;
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
    return new Append(
        sessionId,
        expectedVersion,
        events,
        summary,
        lease,
        RowWrite.checked(writes),
        grants,
        releases);
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
        + (grants == null ? "" : ", leasedTo=" + grants.owner())
        + (releases ? ", releasing" : "")
        + "}";
  }
}
