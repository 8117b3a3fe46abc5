package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * The store's database failed (connection lost, disk full, schema missing). Whether a failed {@link
 * SessionStore#append append} was stored is unknown when the failure came while committing: reload
 * the session and compare versions before retrying.
 */
public class SessionStoreException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /**
   * The store failed with {@code message}.
   *
   * @param message what failed and where, and how to fix it
   * @param cause the database's exception, or null
   */
  public SessionStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
