package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * The store's database failed (connection lost, disk full, schema missing). Whether a failed
 * {@link SessionStore#append append} was stored is unknown when the failure came while
 * committing: reload the session and compare versions before retrying.
 */
public class SessionStoreException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  public SessionStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
