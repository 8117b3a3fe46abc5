package dev.agentmesh.sessions.spi;

import java.util.Objects;

/**
 * What a store's change feed says about one committed append: session {@code sessionId} is now at
 * {@code version} (or later). It carries no events; a reader that cares loads them.
 *
 * <pre>{@code
 * SessionStore.Subscription feed = store.subscribe(change -> {
 *   if (change.sessionId().equals(waitedFor) && change.version() > seen) {
 *     reload.run(); // load the events after 'seen'
 *   }
 * });
 * }</pre>
 *
 * @param sessionId the session an append was committed to
 * @param version the session's version right after that append, at least 1
 */
public record SessionChange(String sessionId, long version) {

  /**
   * Checks the session id is present and the version at least 1.
   *
   * @param sessionId the session an append was committed to
   * @param version the session's version right after that append, at least 1
   * @throws IllegalArgumentException if {@code version} is below 1
   */
  public SessionChange {
    Objects.requireNonNull(sessionId, "sessionId");
    if (version < 1) {
      throw new IllegalArgumentException(
          "The version of a change to session '"
              + sessionId
              + "' must be at least 1 but was "
              + version);
    }
  }
}
