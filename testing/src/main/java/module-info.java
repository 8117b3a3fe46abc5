/**
 * agentmesh testing: {@code ScriptedModel}, {@code FakeClock}, {@code AgentTester}, and the
 * conformance kits every SPI implementation extends.
 */
module dev.agentmesh.testing {
  requires transitive dev.agentmesh.core;
  requires transitive dev.agentmesh.sessions;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive org.assertj.core;

  exports dev.agentmesh.testing;
}
