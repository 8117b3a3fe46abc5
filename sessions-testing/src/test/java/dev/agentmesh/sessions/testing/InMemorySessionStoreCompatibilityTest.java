package dev.agentmesh.sessions.testing;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;

class InMemorySessionStoreCompatibilityTest extends SessionStoreCompatibilityKit {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }
}
