/**
 * agentmesh core: agent specs and their loader, the {@link dev.agentmesh.core.Mesh}, stateless
 * agent execution, tools, guardrails, events, and the model SPI.
 */
module dev.agentmesh.core {
  requires transitive tools.jackson.databind;
  requires tools.jackson.dataformat.yaml;
  requires org.snakeyaml.engine;
  requires transitive org.jspecify;
  requires org.slf4j;
  requires com.github.victools.jsonschema.generator;
  requires com.networknt.schema;

  exports dev.agentmesh.core;
  exports dev.agentmesh.core.spi;
  // Not API: the webhook HMAC primitives triggers and review share.
  exports dev.agentmesh.core.internal.crypto to
      dev.agentmesh.triggers,
      dev.agentmesh.review;
  // Not API: the turn's conversation rule (owed and unsafe tool calls, the transcript) and the
  // default executors, shared by the agent loop and the session runtime.
  exports dev.agentmesh.core.internal.turn to
      dev.agentmesh.sessions;
  // Not API: the located YAML/JSON reading of spec files, shared with the trigger loader.
  exports dev.agentmesh.core.internal.spec to
      dev.agentmesh.triggers,
      dev.agentmesh.cli;
  exports dev.agentmesh.core.internal.concurrent to
      dev.agentmesh.sessions;

// Tool methods and the records agents read and write are bound reflectively by Jackson in
// the user's module; nothing of ours needs to be opened.
}
