package dev.agentmesh.sessions.testing;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;

/** A bounded store behaves as an unbounded one while it holds fewer sessions than its maximum. */
class BoundedInMemorySessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.builder().maximumSessions(1_000).build();
  }
}
