/**
 * agentmesh triggers: schedules with a daylight-saving policy, catch-up, overlap and jitter
 * policies, webhook signature verification, the runtime that fires scheduled triggers exactly once
 * across nodes, webhook triggers that start sessions, and event triggers (an in-process event bus,
 * and a RabbitMQ source when {@code com.rabbitmq:amqp-client} is on the module path).
 */
module dev.agentmesh.triggers {
  requires transitive dev.agentmesh.core;
  requires transitive dev.agentmesh.sessions;
  // JdkWebhookHandler and JdkWebhookServer speak com.sun.net.httpserver types.
  requires transitive jdk.httpserver;
  requires static org.jspecify;
  requires com.cronutils;
  requires org.slf4j;
  // Optional: only RabbitMqSource uses it, and only a host that consumes RabbitMQ adds the client.
  requires static com.rabbitmq.client;

  exports dev.agentmesh.triggers;
}
