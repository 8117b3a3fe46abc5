package dev.agentmesh.sessions.spi;

/**
 * An event of a session's log cannot be read: its payload is not valid JSON, its type is unknown,
 * its type version is newer than this release reads, or its payload has the wrong shape. Names the
 * session, the event's log version and type, and what was wrong. The runtime quarantines such a
 * session ({@link SessionStore#quarantine}) instead of retrying it; repair the row (or upgrade the
 * release), then ask the runtime to retry it.
 *
 * <pre>{@code
 * try {
 *   sessions.session(id).state();
 * } catch (SessionDecodeException e) {
 *   log.error("event {} of {} ({}) is broken", e.version(), e.sessionId(), e.eventType());
 * }
 * }</pre>
 */
public final class SessionDecodeException extends SessionStoreException {

  private static final long serialVersionUID = 1L;

  /** The session whose log holds the event. */
  private final String sessionId;

  /** The event's position in the session's log. */
  private final long version;

  /** The event's stored type. */
  private final String eventType;

  /** The version of the type's payload shape the row says it has. */
  private final int typeVersion;

  /** What was wrong, without the session and version. */
  private final String problem;

  /**
   * An event that cannot be read; the message names all of the below.
   *
   * @param sessionId the session whose log holds the event
   * @param version the event's position in the log
   * @param eventType the event's stored type
   * @param typeVersion the type version the row says it has
   * @param problem what was wrong
   * @param fix what an operator can do about it
   * @param cause the parse or mapping failure, or null
   */
  public SessionDecodeException(
      String sessionId,
      long version,
      String eventType,
      int typeVersion,
      String problem,
      String fix,
      @org.jspecify.annotations.Nullable Throwable cause) {
    super(
        "Cannot decode event "
            + version
            + " of session '"
            + sessionId
            + "' (type '"
            + eventType
            + "', type version "
            + typeVersion
            + "): "
            + problem
            + ". "
            + fix,
        cause);
    this.sessionId = sessionId;
    this.version = version;
    this.eventType = eventType;
    this.typeVersion = typeVersion;
    this.problem = problem;
  }

  /**
   * The session whose log holds the event.
   *
   * @return the session's id
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * The event's position in the session's log.
   *
   * @return the event's version
   */
  public long version() {
    return version;
  }

  /**
   * The event's stored type, such as {@code message.posted}.
   *
   * @return the stored type name
   */
  public String eventType() {
    return eventType;
  }

  /**
   * The version of the type's payload shape the row says it has.
   *
   * @return the stored type version
   */
  public int typeVersion() {
    return typeVersion;
  }

  /**
   * What was wrong, without the session and version.
   *
   * @return the problem, as a phrase
   */
  public String problem() {
    return problem;
  }
}
