package dev.agentmesh.sessions;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What started a session: a human, an API client, a schedule's occurrence, a webhook delivery, a
 * broker message, or another session's agent. Recorded in the session's first event, so the log
 * says who or what is accountable for the work.
 *
 * <pre>{@code
 * sessions.newSession("daily-priorities").input(Map.of())
 *     .origin(Origin.cron("daily", Instant.parse("2026-01-05T08:00:00Z"))).start();
 * sessions.newSession("triage").input(ticket)
 *     .origin(Origin.webhook("zendesk", "delivery-81f3")).start();
 * }</pre>
 *
 * <p>{@link #key()} is the string form stores index and {@link
 * dev.agentmesh.sessions.spi.SessionQuery.Builder#origin(String) queries} filter on: {@code
 * kind:id} in lower-case kind, such as {@code cron:daily} (every occurrence of one trigger shares
 * it). An {@link Kind#UNKNOWN} origin, read from a log written before origins were typed, keeps its
 * old free string as both id and key.
 *
 * @param kind what kind of thing started the session
 * @param id who or which: the human's name, the API client, the trigger's name, the broker's queue
 *     or topic, the parent session's id
 * @param occurrence for a schedule (cron, interval, once), the instant it was due; else null
 * @param reference the one delivery that started it: a webhook's delivery id, a broker's message
 *     id, the parent session's run id; else null
 */
public record Origin(
    Kind kind, String id, @Nullable Instant occurrence, @Nullable String reference) {

  /**
   * The most characters an origin's {@link #id()} may have, so every store can index it; only an
   * {@link Kind#UNKNOWN} origin, read from an old log, keeps a longer string.
   */
  public static final int MAX_ID_LENGTH = 500;

  /** The kinds of things that start sessions. */
  public enum Kind {
    /** A person, through the host's UI or a command. */
    HUMAN,
    /** A program calling the host's API. */
    API,
    /** An occurrence of a cron schedule. */
    CRON,
    /** An occurrence of a fixed-interval schedule. */
    INTERVAL,
    /** A one-time schedule. */
    ONCE,
    /** A webhook delivery. */
    WEBHOOK,
    /** A message from a broker or event bus. */
    EVENT,
    /** Another session's agent. */
    SESSION,
    /** A log written before origins were typed, whose free string names no known kind. */
    UNKNOWN;

    private final String id = name().toLowerCase(Locale.ROOT);

    /**
     * The lower-case name used in {@link Origin#key()}, such as {@code "cron"}.
     *
     * @return the kind's name in keys
     */
    public String id() {
      return id;
    }
  }

  /**
   * Checks that kind and id are present and the id is not blank.
   *
   * @param kind what kind of thing started the session
   * @param id who or which started it
   * @param occurrence for a schedule, the instant it was due; else null
   * @param reference the delivery, message or run that started it; else null
   * @throws IllegalArgumentException if {@code id} is blank or longer than {@link #MAX_ID_LENGTH},
   *     or {@code id} or {@code reference} holds a NUL character (U+0000, which no store keeps)
   */
  public Origin {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "An origin's id names who or what started the session "
              + "(such as 'ana' or 'daily') but was '"
              + shown(id)
              + "'");
    }
    if (id.length() > MAX_ID_LENGTH && kind != Kind.UNKNOWN) {
      throw new IllegalArgumentException(
          "An origin's id is at most "
              + MAX_ID_LENGTH
              + " characters (stores index it; PostgreSQL refuses longer index rows) but was "
              + id.length()
              + " characters: '"
              + shown(id)
              + "'; put long details in the input");
    }
    if (reference != null && reference.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "An origin's reference (the delivery, message or run "
              + "that started the session) must not hold U+0000, which no store keeps, but was '"
              + shown(reference)
              + "'");
    }
  }

  /** {@code text} for a message: control characters escaped, at most 60 characters shown. */
  private static String shown(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 60; i++) {
      char c = text.charAt(i);
      b.append(
          c == '\0'
              ? "\\0"
              : Character.isISOControl(c)
                  ? String.format(Locale.ROOT, "\\u%04x", (int) c)
                  : String.valueOf(c));
    }
    return text.length() > 60 ? b + "... (" + text.length() + " characters)" : b.toString();
  }

  /**
   * Started by a person.
   *
   * @param name the person's name, as the host knows them
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin human(String name) {
    return new Origin(Kind.HUMAN, name, null, null);
  }

  /**
   * Started by a program through the host's API.
   *
   * @param client the calling program or service
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin api(String client) {
    return new Origin(Kind.API, client, null, null);
  }

  /**
   * Started by one occurrence of a cron schedule.
   *
   * @param trigger the schedule's name
   * @param scheduledAt the instant the occurrence was due
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin cron(String trigger, Instant scheduledAt) {
    return new Origin(Kind.CRON, trigger, Objects.requireNonNull(scheduledAt, "scheduledAt"), null);
  }

  /**
   * Started by one occurrence of a fixed-interval schedule.
   *
   * @param trigger the schedule's name
   * @param scheduledAt the instant the occurrence was due
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin interval(String trigger, Instant scheduledAt) {
    return new Origin(
        Kind.INTERVAL, trigger, Objects.requireNonNull(scheduledAt, "scheduledAt"), null);
  }

  /**
   * Started by a one-time schedule.
   *
   * @param trigger the schedule's name
   * @param scheduledAt the instant it was due
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin once(String trigger, Instant scheduledAt) {
    return new Origin(Kind.ONCE, trigger, Objects.requireNonNull(scheduledAt, "scheduledAt"), null);
  }

  /**
   * Started by a webhook delivery.
   *
   * @param trigger the webhook's name, such as {@code zendesk}
   * @param deliveryId the delivery's id, as the sender gave it
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin webhook(String trigger, String deliveryId) {
    return new Origin(
        Kind.WEBHOOK, trigger, null, Objects.requireNonNull(deliveryId, "deliveryId"));
  }

  /**
   * Started by a message from a broker or event bus.
   *
   * @param source the queue, topic or trigger the message came through
   * @param messageId the message's id, unique per source
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin event(String source, String messageId) {
    return new Origin(Kind.EVENT, source, null, Objects.requireNonNull(messageId, "messageId"));
  }

  /**
   * Started by another session's agent: a child session. Not the same as a fork, which {@link
   * SessionState#forkedFrom()} records.
   *
   * @param sessionId the id of the session whose agent started this one
   * @param runId the id of that session's run that started it
   * @return the origin
   * @throws IllegalArgumentException if a name or id is blank, holds U+0000 or is too long
   */
  public static Origin session(String sessionId, String runId) {
    return new Origin(Kind.SESSION, sessionId, null, Objects.requireNonNull(runId, "runId"));
  }

  /**
   * Reads an origin from a free string as sessions recorded before origins were typed: {@code
   * human:ana} is {@link #human(String) human} {@code ana}, and likewise for every kind's {@link
   * Kind#id() name} as prefix (schedules read so have no occurrence, deliveries no reference); any
   * other string, also a kind's prefix with nothing but blanks after it (say {@code "human: "}) or
   * more than {@link #MAX_ID_LENGTH} characters, is an {@link Kind#UNKNOWN} origin whose id is the
   * whole string (of any length), so its {@link #key()} stays the string stores indexed.
   *
   * @param legacy the free string, such as {@code cron:daily} or {@code manual}
   * @return the origin it stands for
   * @throws IllegalArgumentException if {@code legacy} is blank
   */
  public static Origin parse(String legacy) {
    int colon = legacy.indexOf(':');
    String rest = legacy.substring(colon + 1);
    if (colon > 0 && !rest.isBlank() && rest.length() <= MAX_ID_LENGTH) {
      String prefix = legacy.substring(0, colon);
      for (Kind kind : Kind.values()) {
        if (kind != Kind.UNKNOWN && kind.id().equals(prefix)) {
          return new Origin(kind, rest, null, null);
        }
      }
    }
    return new Origin(Kind.UNKNOWN, legacy, null, null);
  }

  /**
   * The string form stores index and queries filter on: {@code kind:id}, such as {@code human:ana};
   * for an {@link Kind#UNKNOWN} origin, its id alone.
   *
   * @return the origin's key
   */
  public String key() {
    return kind == Kind.UNKNOWN ? id : kind.id() + ":" + id;
  }

  @Override
  public String toString() {
    return key()
        + (occurrence == null ? "" : "@" + occurrence)
        + (reference == null ? "" : "#" + reference);
  }
}
