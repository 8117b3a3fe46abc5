package com.example.host;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.testing.SessionStoreCompatibilityKit;

/** A host checking a store with the published kit, as it would check a store of its own. */
class HostStoreTest extends SessionStoreCompatibilityKit {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }
}
