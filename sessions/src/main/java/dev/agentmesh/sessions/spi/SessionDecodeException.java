package dev.agentmesh.sessions.spi;

/**
 * An event of a session's log cannot be read: its payload is not valid JSON, its type is
 * unknown, its type version is newer than this release reads, or its payload has the wrong
 * shape. Names the session, the event's log version and type, and what was wrong. The runtime
 * quarantines such a session ({@link SessionStore#quarantine}) instead of retrying it; repair
 * the row (or upgrade the release), then ask the runtime to retry it.
 *
 * <pre>{@code
 * try {
 *   sessions.state(id);
 * } catch (SessionDecodeException e) {
 *   log.error("event {} of {} ({}) is broken", e.version(), e.sessionId(), e.eventType());
 * }
 * }</pre>
 */
public final class SessionDecodeException extends SessionStoreException {

  private static final long serialVersionUID = 1L;

  private final String sessionId;
  private final long version;
  private final String eventType;
  private final int typeVersion;
  private final String problem;

  public SessionDecodeException(String sessionId, long version, String eventType, int typeVersion,
      String problem, String fix, @org.jspecify.annotations.Nullable Throwable cause) {
    super("Cannot decode event " + version + " of session '" + sessionId + "' (type '" + eventType
        + "', type version " + typeVersion + "): " + problem + ". " + fix, cause);
    this.sessionId = sessionId;
    this.version = version;
    this.eventType = eventType;
    this.typeVersion = typeVersion;
    this.problem = problem;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The event's position in the session's log. */
  public long version() {
    return version;
  }

  /** The event's stored type, such as {@code message.posted}. */
  public String eventType() {
    return eventType;
  }

  /** The version of the type's payload shape the row says it has. */
  public int typeVersion() {
    return typeVersion;
  }

  /** What was wrong, without the session and version. */
  public String problem() {
    return problem;
  }
}
