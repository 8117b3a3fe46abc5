/**
 * agentmesh sessions testing: the {@code SessionStore} conformance kit every store implementation
 * extends; reads {@code dev.agentmesh.testing} (FakeClock, ManualScheduler) too.
 */
module dev.agentmesh.sessions.testing {
  requires transitive dev.agentmesh.sessions;
  requires transitive dev.agentmesh.testing;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive org.assertj.core;
  requires static org.jspecify;

  exports dev.agentmesh.sessions.testing;
}
