package dev.agentmesh.sessions.testing;

import dev.agentmesh.sessions.CachingSessionStore;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;

/** Each node has its own cache over one shared store, as nodes over one database would. */
class CachingSessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  private SessionStore shared;

  @Override
  protected SessionStore createStore() {
    shared = InMemorySessionStore.create();
    return CachingSessionStore.builder(shared).maximumEvents(50).build();
  }

  @Override
  protected SessionStore openAnother(SessionStore store) {
    return CachingSessionStore.create(shared);
  }
}
