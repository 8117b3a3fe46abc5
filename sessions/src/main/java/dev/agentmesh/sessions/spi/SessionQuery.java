package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Which sessions to list, and which page. Filters combine with AND; unset filters match everything.
 * Results are ordered by {@code createdAt}, then by id (in Unicode code point order, the byte order
 * of UTF-8), and paged by keyset: pass the previous page's {@link SessionPage#nextCursor()} to
 * {@link Builder#after(String)}.
 *
 * <pre>{@code
 * SessionQuery waiting = SessionQuery.builder().status("waiting").agent("triage").limit(20).build();
 * SessionPage page = store.query(waiting);
 * SessionPage next = store.query(waiting.newBuilder().after(page.nextCursor()).build());
 * }</pre>
 */
public final class SessionQuery {

  /** The most sessions one page may hold. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Where a page starts: after the session with this creation time and id.
   *
   * @param createdAt the creation time of the last session of the previous page
   * @param id the id of that session, which breaks ties between equal creation times
   */
  public record Position(Instant createdAt, String id) {}

  private final @Nullable String status;
  private final @Nullable String agent;
  private final @Nullable String participant;
  private final @Nullable String origin;
  private final @Nullable Instant createdFrom;
  private final @Nullable Instant createdBefore;
  private final @Nullable Boolean quarantined;
  private final @Nullable String cursor;
  private final @Nullable Position after;
  private final int limit;

  private SessionQuery(Builder b) {
    this.status = b.status;
    this.agent = b.agent;
    this.participant = b.participant;
    this.origin = b.origin;
    this.createdFrom = b.createdFrom;
    this.createdBefore = b.createdBefore;
    this.quarantined = b.quarantined;
    this.cursor = b.cursor;
    this.after = b.cursor == null ? null : Cursors.decode(b.cursor);
    this.limit = b.limit;
  }

  /**
   * A query that matches every session, first page of 50.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this query's filters, cursor and limit.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.status = status;
    b.agent = agent;
    b.participant = participant;
    b.origin = origin;
    b.createdFrom = createdFrom;
    b.createdBefore = createdBefore;
    b.quarantined = quarantined;
    b.cursor = cursor;
    b.limit = limit;
    return b;
  }

  /**
   * Sessions with this status name, such as {@code "waiting"}; null for any.
   *
   * @return the status filter, or null
   */
  public @Nullable String status() {
    return status;
  }

  /**
   * Sessions whose default agent is this one; null for any.
   *
   * @return the agent filter, or null
   */
  public @Nullable String agent() {
    return agent;
  }

  /**
   * Sessions whose participants contain this one.
   *
   * @return the participant filter, or null
   */
  public @Nullable String participant() {
    return participant;
  }

  /**
   * Sessions whose {@link dev.agentmesh.sessions.Origin#key() origin key} is this one, such as
   * {@code "cron:daily"}, or {@code "session:s-1"} for the sessions s-1's agent started; null for
   * any.
   *
   * @return the origin filter, or null
   */
  public @Nullable String origin() {
    return origin;
  }

  /**
   * Inclusive lower bound on {@code createdAt}.
   *
   * @return the lower bound, or null
   */
  public @Nullable Instant createdFrom() {
    return createdFrom;
  }

  /**
   * Exclusive upper bound on {@code createdAt}.
   *
   * @return the upper bound, or null
   */
  public @Nullable Instant createdBefore() {
    return createdBefore;
  }

  /**
   * Only quarantined sessions (true) or only readable ones (false); null for both.
   *
   * @return the quarantine filter, or null
   */
  public @Nullable Boolean quarantined() {
    return quarantined;
  }

  /**
   * Where this page starts, decoded from the cursor; null for the first page.
   *
   * @return the position after which this page starts, or null
   */
  public @Nullable Position after() {
    return after;
  }

  /**
   * The most sessions on one page, from 1 to {@link #MAX_LIMIT}.
   *
   * @return the page size
   */
  public int limit() {
    return limit;
  }

  /**
   * Whether {@code s} passes every filter (not the cursor); for stores that filter in Java.
   *
   * @param s a session's summary
   * @return true if every filter set accepts {@code s}
   */
  public boolean matches(SessionSummary s) {
    return (status == null || status.equals(s.status()))
        && (agent == null || agent.equals(s.agent()))
        && (origin == null || origin.equals(s.origin()))
        && (participant == null || s.participants().contains(participant))
        && (createdFrom == null || !s.createdAt().isBefore(createdFrom))
        && (createdBefore == null || s.createdAt().isBefore(createdBefore))
        && (quarantined == null || quarantined == s.quarantined());
  }

  @Override
  public String toString() {
    return "SessionQuery{status="
        + status
        + ", agent="
        + agent
        + ", participant="
        + participant
        + ", origin="
        + origin
        + ", createdFrom="
        + createdFrom
        + ", createdBefore="
        + createdBefore
        + ", quarantined="
        + quarantined
        + ", after="
        + after
        + ", limit="
        + limit
        + "}";
  }

  /** Builds {@link SessionQuery} values; reusable, not thread-safe. */
  public static final class Builder {
    private @Nullable String status;
    private @Nullable String agent;
    private @Nullable String participant;
    private @Nullable String origin;
    private @Nullable Instant createdFrom;
    private @Nullable Instant createdBefore;
    private @Nullable Boolean quarantined;
    private @Nullable String cursor;
    private int limit = 50;

    private Builder() {}

    /**
     * Only sessions with this status name, such as {@code "waiting"}; null for any.
     *
     * @param status a status name, or null
     * @return this builder
     */
    public Builder status(@Nullable String status) {
      this.status = status;
      return this;
    }

    /**
     * Only sessions whose default agent is {@code agent}; null for any.
     *
     * @param agent an agent name, or null
     * @return this builder
     */
    public Builder agent(@Nullable String agent) {
      this.agent = agent;
      return this;
    }

    /**
     * Only sessions {@code participant} takes part in; null for any.
     *
     * @param participant a participant name, or null
     * @return this builder
     */
    public Builder participant(@Nullable String participant) {
      this.participant = participant;
      return this;
    }

    /**
     * Only sessions whose {@link dev.agentmesh.sessions.Origin#key() origin key} is {@code origin};
     * null for any.
     *
     * @param origin an origin key, such as {@code "human:ana"} or {@code "cron:daily"}, or null
     * @return this builder
     */
    public Builder origin(@Nullable String origin) {
      this.origin = origin;
      return this;
    }

    /**
     * Only sessions started by what {@code origin} names (its {@link
     * dev.agentmesh.sessions.Origin#key() key}: every occurrence of one schedule, every session one
     * parent session started).
     *
     * @param origin an origin
     * @return this builder
     */
    public Builder origin(dev.agentmesh.sessions.Origin origin) {
      return origin(origin.key());
    }

    /**
     * Only sessions created at or after {@code from}.
     *
     * @param from the inclusive lower bound, or null (truncated to microseconds)
     * @return this builder
     */
    public Builder createdFrom(@Nullable Instant from) {
      this.createdFrom = from == null ? null : from.truncatedTo(ChronoUnit.MICROS);
      return this;
    }

    /**
     * Only sessions created before {@code before}.
     *
     * @param before the exclusive upper bound, or null (truncated to microseconds)
     * @return this builder
     */
    public Builder createdBefore(@Nullable Instant before) {
      this.createdBefore = before == null ? null : before.truncatedTo(ChronoUnit.MICROS);
      return this;
    }

    /**
     * Only sessions whose log could not be read and that the runtime stopped driving (true), or
     * only the others (false); null (the default) for both.
     *
     * @param quarantined true, false, or null for both
     * @return this builder
     */
    public Builder quarantined(@Nullable Boolean quarantined) {
      this.quarantined = quarantined;
      return this;
    }

    /**
     * Start after the page that returned {@code cursor}; null for the first page.
     *
     * @param cursor a {@link SessionPage#nextCursor()}, or null
     * @return this builder
     * @throws IllegalArgumentException if {@code cursor} is not one a page returned
     */
    public Builder after(@Nullable String cursor) {
      if (cursor != null) {
        Cursors.decode(cursor);
      }
      this.cursor = cursor;
      return this;
    }

    /**
     * The most sessions on one page (default 50).
     *
     * @param limit from 1 to {@link SessionQuery#MAX_LIMIT}
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
     * The query with the filters, cursor and limit set so far.
     *
     * @return a new query
     */
    public SessionQuery build() {
      return new SessionQuery(this);
    }
  }
}
