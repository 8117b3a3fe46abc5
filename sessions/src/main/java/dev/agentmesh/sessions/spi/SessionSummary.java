package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The row a store indexes for each session, so sessions can be queried without folding their logs.
 * The runtime computes it from the log and hands it to every {@link SessionStore#append append}, so
 * the row and the events change in one transaction.
 *
 * <pre>{@code
 * SessionSummary summary = SessionSummary.builder("s-1")
 *     .agent("triage").status("running").runnable(true).origin("cron:daily")
 *     .participants(Set.of("ana")).createdAt(now).updatedAt(now)
 *     .build();
 * }</pre>
 *
 * <p>Instants are truncated to microseconds, the precision every store keeps.
 *
 * @param id the session id
 * @param agent the session's default agent
 * @param status the runtime's status name, e.g. {@code "running"}; stores only compare it
 * @param runnable whether the session has work a driver should do now; only runnable sessions are
 *     {@link SessionStore#claim claimed}. Paused, waiting and finished sessions are not.
 * @param origin the {@link dev.agentmesh.sessions.Origin#key() key} of what started the session,
 *     e.g. {@code "cron:daily"}, {@code "human:ana"} or {@code "session:s-1"} (a child session
 *     started by session s-1's agent)
 * @param participants who takes part (sorted, read-only)
 * @param forkedFrom the session this one was forked from, or null (not the session that started it:
 *     that one is in {@code origin})
 * @param createdAt when the session was created; fixed by the first append
 * @param updatedAt when the session last changed
 * @param version the number of events in the log; set by the store on append
 * @param quarantine why the session's log cannot be read and the runtime stopped driving it, or
 *     null; set only by {@link SessionStore#quarantine} and cleared by {@link
 *     SessionStore#releaseQuarantine}, never by an append
 */
public record SessionSummary(
    String id,
    String agent,
    String status,
    boolean runnable,
    String origin,
    Set<String> participants,
    @Nullable String forkedFrom,
    Instant createdAt,
    Instant updatedAt,
    long version,
    @Nullable String quarantine) {

  /**
   * Checks the components; sorts the participants and truncates instants to microseconds.
   *
   * @param id the session id
   * @param agent the session's default agent
   * @param status the runtime's status name, e.g. {@code "running"}; stores only compare it
   * @param runnable whether the session has work a driver should do now; only runnable sessions are
   *     {@link SessionStore#claim claimed}. Paused, waiting and finished sessions are not.
   * @param origin the {@link dev.agentmesh.sessions.Origin#key() key} of what started the session,
   *     e.g. {@code "cron:daily"}, {@code "human:ana"} or {@code "session:s-1"}
   * @param participants who takes part (sorted, read-only)
   * @param forkedFrom the session this one was forked from, or null (not the session that started
   *     it: that one is in {@code origin})
   * @param createdAt when the session was created; fixed by the first append
   * @param updatedAt when the session last changed
   * @param version the number of events in the log; set by the store on append
   * @param quarantine why the session's log cannot be read and the runtime stopped driving it, or
   *     null; set only by {@link SessionStore#quarantine} and cleared by {@link
   *     SessionStore#releaseQuarantine}, never by an append
   */
  public SessionSummary {
    Text.requireNotBlank("Session id", Objects.requireNonNull(id, "id"));
    Text.requireNoNul("agent", Objects.requireNonNull(agent, "agent"));
    Text.requireNoNul("status", Objects.requireNonNull(status, "status"));
    Text.requireNoNul("origin", Objects.requireNonNull(origin, "origin"));
    TreeSet<String> sorted = new TreeSet<>();
    for (String participant : Objects.requireNonNull(participants, "participants")) {
      sorted.add(Text.requireNoNul("participant", participant));
    }
    participants = Collections.unmodifiableSet(sorted);
    if (forkedFrom != null) {
      Text.requireNoNul("forkedFrom", forkedFrom);
    }
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
    updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MICROS);
    if (version < 0) {
      throw new IllegalArgumentException(
          "version of session '" + id + "' must not be negative but was " + version);
    }
    if (quarantine != null) {
      Text.requireNoNul("quarantine", quarantine);
    }
  }

  /**
   * Whether the session is quarantined: its log cannot be read, so nobody drives it.
   *
   * @return true if {@link #quarantine()} is set
   */
  public boolean quarantined() {
    return quarantine != null;
  }

  /**
   * A builder for session {@code id}; status defaults to "created", instants to the epoch.
   *
   * @param id the session id
   * @return a new builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * A builder that starts from this summary.
   *
   * @return a new builder with this summary's values
   */
  public Builder newBuilder() {
    return new Builder(id)
        .agent(agent)
        .status(status)
        .runnable(runnable)
        .origin(origin)
        .participants(participants)
        .forkedFrom(forkedFrom)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .version(version)
        .quarantine(quarantine);
  }

  /**
   * This summary at another version, as a store returns it after an append.
   *
   * @param newVersion the version after the append
   * @return a copy of this summary at {@code newVersion}
   */
  public SessionSummary withVersion(long newVersion) {
    return new SessionSummary(
        id,
        agent,
        status,
        runnable,
        origin,
        participants,
        forkedFrom,
        createdAt,
        updatedAt,
        newVersion,
        quarantine);
  }

  /** Builds {@link SessionSummary} values; reusable, not thread-safe. */
  public static final class Builder {
    private final String id;
    private String agent = "";
    private String status = "created";
    private boolean runnable;
    private String origin = "";
    private Set<String> participants = Set.of();
    private @Nullable String forkedFrom;
    private Instant createdAt = Instant.EPOCH;
    private Instant updatedAt = Instant.EPOCH;
    private long version;
    private @Nullable String quarantine;

    private Builder(String id) {
      this.id = Text.requireNotBlank("Session id", Objects.requireNonNull(id, "id"));
    }

    /**
     * The session's default agent.
     *
     * @param agent an agent name
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * The runtime's status name, such as {@code "running"}.
     *
     * @param status a status name
     * @return this builder
     */
    public Builder status(String status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /**
     * Whether the session has work a driver should do now.
     *
     * @param runnable true if a driver should claim it
     * @return this builder
     */
    public Builder runnable(boolean runnable) {
      this.runnable = runnable;
      return this;
    }

    /**
     * The key of what started the session ({@link dev.agentmesh.sessions.Origin#key()}).
     *
     * @param origin an origin's key, such as {@code "human:ana"}
     * @return this builder
     */
    public Builder origin(String origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * Who takes part.
     *
     * @param participants the participants' names
     * @return this builder
     */
    public Builder participants(Set<String> participants) {
      this.participants = Set.copyOf(participants);
      return this;
    }

    /**
     * The session this one was forked from.
     *
     * @param forkedFrom the forked session's id, or null
     * @return this builder
     */
    public Builder forkedFrom(@Nullable String forkedFrom) {
      this.forkedFrom = forkedFrom;
      return this;
    }

    /**
     * When the session was created.
     *
     * @param createdAt the creation instant
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /**
     * When the session last changed.
     *
     * @param updatedAt the last change's instant
     * @return this builder
     */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
      return this;
    }

    /**
     * The number of events in the log; stores set it on append.
     *
     * @param version the version
     * @return this builder
     */
    public Builder version(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative but was " + version);
      }
      this.version = version;
      return this;
    }

    /**
     * Why the session is quarantined, or null; stores set it, see {@link SessionStore#quarantine}.
     *
     * @param quarantine the reason, or null
     * @return this builder
     */
    public Builder quarantine(@Nullable String quarantine) {
      this.quarantine = quarantine;
      return this;
    }

    /**
     * The summary with the values set so far.
     *
     * @return a new summary
     */
    public SessionSummary build() {
      return new SessionSummary(
          id,
          agent,
          status,
          runnable,
          origin,
          participants,
          forkedFrom,
          createdAt,
          updatedAt,
          version,
          quarantine);
    }
  }
}
