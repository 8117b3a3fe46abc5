package dev.agentmesh.testing.sessions;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.SessionStoreCompatibilityKit;

class InMemorySessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }
}
