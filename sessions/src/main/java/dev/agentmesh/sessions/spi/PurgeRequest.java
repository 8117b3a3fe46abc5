package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which finished sessions a {@link SessionStore#purge purge} deletes: those in a finished status
 * (by default {@code completed}, {@code failed} or {@code cancelled}) whose last update is before a
 * cutoff, that are not {@link SessionSummary#runnable() runnable}, not quarantined, and hold no
 * live lease at the caller's time; oldest update first, at most {@link #limit()} per call.
 *
 * <pre>{@code
 * Instant now = clock.instant();
 * PurgeRequest old = PurgeRequest.finishedBefore(now.minus(Duration.ofDays(30)), now)
 *     .limit(500).build();
 * List<SessionSummary> deleted = store.purge(old);                 // one page; call again for more
 * List<SessionSummary> seen = store.purge(old.newBuilder().dryRun(true).build()); // deletes none
 * store.purge(old.newBuilder().only(seen).build()); // those, if none of them changed meanwhile
 * }</pre>
 *
 * <p>Other modules' {@link Row rows} of a purged session are deleted with it, except those of the
 * namespaces named by {@link Builder#keepRows keepRows}: rows that must outlive their session, such
 * as idempotency keys (so a redelivered webhook does not start a purged session again) or a
 * trigger's occurrence claims. Their session id then names a session that no longer exists. {@link
 * SessionStore#delete delete} erases every row of its session, kept namespaces included.
 *
 * <p>{@link Builder#only only} is how a caller that reads sessions first (to archive their logs)
 * deletes exactly what it read: a session is deleted only while it is still at the version the
 * caller saw, checked in the same transaction as the delete. Immutable.
 */
public final class PurgeRequest {

  /** The status names the runtime gives finished sessions: completed, failed, cancelled. */
  public static final Set<String> FINISHED_STATUSES = Set.of("completed", "failed", "cancelled");

  /** The most sessions one purge call deletes. */
  public static final int MAX_LIMIT = 1000;

  private final Instant finishedBefore;
  private final Instant now;
  private final Set<String> statuses;
  private final int limit;
  private final boolean dryRun;
  private final @Nullable Map<String, Long> only;
  private final Set<String> keepRows;

  private PurgeRequest(Builder b) {
    this.keepRows = b.keepRows;
    this.finishedBefore = b.finishedBefore;
    this.now = b.now;
    this.statuses = b.statuses;
    this.limit = b.limit;
    this.dryRun = b.dryRun;
    this.only = b.only;
  }

  /**
   * A request for the finished sessions last updated before {@code cutoff}; leases are judged live
   * or expired at {@code now}. A page of 100 by default.
   *
   * @param cutoff sessions updated at or after this instant are kept
   * @param now the caller's time, against which lease expiry is judged
   * @return a new builder
   */
  public static Builder finishedBefore(Instant cutoff, Instant now) {
    return new Builder(cutoff, now);
  }

  /**
   * A builder starting from this request.
   *
   * @return a new builder with this request's settings
   */
  public Builder newBuilder() {
    Builder b = new Builder(finishedBefore, now);
    b.statuses = statuses;
    b.limit = limit;
    b.dryRun = dryRun;
    b.only = only;
    b.keepRows = keepRows;
    return b;
  }

  /**
   * Sessions updated at or after this instant are kept.
   *
   * @return the cutoff, truncated to microseconds
   */
  public Instant finishedBefore() {
    return finishedBefore;
  }

  /**
   * The caller's time: a session whose lease expires after it is kept.
   *
   * @return the instant leases are judged at
   */
  public Instant now() {
    return now;
  }

  /**
   * The status names that count as finished.
   *
   * @return the statuses, read-only
   */
  public Set<String> statuses() {
    return statuses;
  }

  /**
   * The most sessions this call deletes.
   *
   * @return the page size, 1 to {@value #MAX_LIMIT}
   */
  public int limit() {
    return limit;
  }

  /**
   * Whether the store only reports what it would delete and deletes nothing.
   *
   * @return true for a dry run
   */
  public boolean dryRun() {
    return dryRun;
  }

  /**
   * The sessions this call may delete, each with the version it must still be at, or null for any
   * matching session.
   *
   * @return session id to version, read-only, or null
   */
  public @Nullable Map<String, Long> only() {
    return only;
  }

  /**
   * The namespaces of rows that outlive the purge of their session.
   *
   * @return the namespaces, read-only; empty when every row goes with its session
   */
  public Set<String> keepRows() {
    return keepRows;
  }

  /**
   * Whether a session with {@code summary} and a lease live at {@link #now()} (or not) is one this
   * request deletes; for stores that filter in Java. SQL stores state the same conditions in their
   * statement.
   *
   * @param summary the session's current summary
   * @param leaseLive whether another node's lease on it is live at {@link #now()}
   * @return true if the session matches every condition of this request
   */
  public boolean matches(SessionSummary summary, boolean leaseLive) {
    Objects.requireNonNull(summary, "summary");
    return statuses.contains(summary.status())
        && !summary.runnable()
        && !summary.quarantined()
        && summary.updatedAt().isBefore(finishedBefore)
        && !leaseLive
        && summary.version() > 0
        && (only == null || Long.valueOf(summary.version()).equals(only.get(summary.id())));
  }

  @Override
  public String toString() {
    return "PurgeRequest{finishedBefore="
        + finishedBefore
        + ", now="
        + now
        + ", statuses="
        + new TreeSet<>(statuses)
        + ", limit="
        + limit
        + (dryRun ? ", dryRun" : "")
        + (only == null ? "" : ", only=" + only.size())
        + (keepRows.isEmpty() ? "" : ", keepRows=" + new TreeSet<>(keepRows))
        + "}";
  }

  /** Builds {@link PurgeRequest}s; reusable, not thread-safe. */
  public static final class Builder {
    private final Instant finishedBefore;
    private final Instant now;
    private Set<String> statuses = FINISHED_STATUSES;
    private int limit = 100;
    private boolean dryRun;
    private @Nullable Map<String, Long> only;
    private Set<String> keepRows = Set.of();

    private Builder(Instant finishedBefore, Instant now) {
      this.finishedBefore =
          Objects.requireNonNull(finishedBefore, "cutoff").truncatedTo(ChronoUnit.MICROS);
      this.now = Objects.requireNonNull(now, "now").truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The status names that count as finished (default {@link #FINISHED_STATUSES}). Stores only
     * compare them; runnable sessions are kept whatever their status.
     *
     * @param statuses at least one status name
     * @return this builder
     * @throws IllegalArgumentException if {@code statuses} is empty or holds a blank name
     */
    public Builder statuses(Set<String> statuses) {
      Objects.requireNonNull(statuses, "statuses");
      if (statuses.isEmpty() || statuses.stream().anyMatch(s -> s == null || s.isBlank())) {
        throw new IllegalArgumentException(
            "statuses must hold at least one non-blank status "
                + "name, such as \"completed\", but was "
                + statuses);
      }
      this.statuses = Set.copyOf(statuses);
      return this;
    }

    /**
     * The most sessions one call deletes (default 100); call again for the next page.
     *
     * @param limit 1 to {@value #MAX_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is out of range
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * Whether to only report the sessions that would be deleted (default false).
     *
     * @param dryRun true to delete nothing
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Restricts the purge to {@code seen}: each is deleted only if it still matches and is still at
     * the version in its summary, checked in the same transaction as the delete. A session that
     * changed since is kept.
     *
     * @param seen the summaries the caller read, such as a dry run's result
     * @return this builder
     */
    public Builder only(Collection<SessionSummary> seen) {
      Objects.requireNonNull(seen, "seen");
      Map<String, Long> versions = new TreeMap<>();
      for (SessionSummary s : seen) {
        versions.put(s.id(), s.version());
      }
      this.only = Map.copyOf(versions);
      return this;
    }

    /**
     * Rows of these namespaces outlive the purge of their session (default: none; every row of a
     * purged session is deleted with it). Replaces the namespaces given before.
     *
     * @param namespaces row namespaces, such as {@code sessions.once}
     * @return this builder
     * @throws IllegalArgumentException if a namespace is malformed
     */
    public Builder keepRows(Set<String> namespaces) {
      Objects.requireNonNull(namespaces, "namespaces").forEach(Row::namespace);
      this.keepRows = Set.copyOf(namespaces);
      return this;
    }

    /**
     * The request.
     *
     * @return a new request with the settings so far
     */
    public PurgeRequest build() {
      return new PurgeRequest(this);
    }
  }
}
