/**
 * agentmesh triggers: schedules with a daylight-saving policy, catch-up, overlap and jitter
 * policies, webhook signature verification, and webhook triggers that start sessions.
 */
module dev.agentmesh.triggers {
  requires transitive dev.agentmesh.core;
  requires transitive dev.agentmesh.sessions;
  // JdkWebhookHandler and JdkWebhookServer speak com.sun.net.httpserver types.
  requires transitive jdk.httpserver;
  requires static org.jspecify;
  requires com.cronutils;
  requires org.slf4j;

  exports dev.agentmesh.triggers;
}
