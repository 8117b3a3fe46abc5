/**
 * agentmesh triggers: schedules with a daylight-saving policy, catch-up, overlap and jitter
 * policies, and webhook signature verification.
 */
module dev.agentmesh.triggers {
  requires transitive dev.agentmesh.core;
  requires transitive dev.agentmesh.sessions;
  requires static org.jspecify;
  requires com.cronutils;
  requires org.slf4j;

  exports dev.agentmesh.triggers;
}
