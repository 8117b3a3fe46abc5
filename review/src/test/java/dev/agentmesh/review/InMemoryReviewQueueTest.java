package dev.agentmesh.review;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;

class InMemoryReviewQueueTest extends ReviewQueueCases {

  @Override
  protected SessionStore newStore() {
    return InMemorySessionStore.create();
  }
}
