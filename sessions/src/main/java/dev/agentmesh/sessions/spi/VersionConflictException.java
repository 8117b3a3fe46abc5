package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;

/**
 * An append expected a session version that is not the current one: another writer appended first,
 * the session does not exist yet (actual 0), or it already exists (expected 0). Nothing of the
 * rejected append was stored. Reload the session from {@link #actualVersion()} and retry.
 */
public final class VersionConflictException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The session of the refused append. */
  private final String sessionId;

  /** The version the append expected. */
  private final long expectedVersion;

  /** The session's version when the append was refused. */
  private final long actualVersion;

  /**
   * An append expected {@code expectedVersion} but the session was at {@code actualVersion}.
   *
   * @param sessionId the session of the refused append
   * @param expectedVersion the version the append expected
   * @param actualVersion the session's version, 0 if it does not exist
   */
  public VersionConflictException(String sessionId, long expectedVersion, long actualVersion) {
    super(message(sessionId, expectedVersion, actualVersion));
    this.sessionId = sessionId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  private static String message(String sessionId, long expected, long actual) {
    if (actual == 0) {
      return "Session '"
          + sessionId
          + "' does not exist but the append expected version "
          + expected
          + "; create it with expected version 0";
    }
    if (expected == 0) {
      return "Session '"
          + sessionId
          + "' already exists at version "
          + actual
          + " but the append expected to create it; reload it and append at its version";
    }
    return "Session '"
        + sessionId
        + "' is at version "
        + actual
        + " but the append expected "
        + expected
        + "; reload and retry";
  }

  /**
   * The session of the refused append.
   *
   * @return the session's id
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * The version the append expected.
   *
   * @return the expected version
   */
  public long expectedVersion() {
    return expectedVersion;
  }

  /**
   * The session's version when the append was refused (0: no such session).
   *
   * @return the actual version
   */
  public long actualVersion() {
    return actualVersion;
  }
}
