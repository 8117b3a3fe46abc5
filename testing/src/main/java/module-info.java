/**
 * agentmesh testing: {@code ScriptedModel}, {@code AgentTester}, {@code FakeClock}, {@code
 * ManualScheduler} and the {@code ChatModel} conformance kit. Needs core only; the {@code
 * SessionStore} kit is in {@code dev.agentmesh.sessions.testing}.
 */
module dev.agentmesh.testing {
  requires transitive dev.agentmesh.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive org.assertj.core;

  exports dev.agentmesh.testing;
}
