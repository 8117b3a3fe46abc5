package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The mesh the event tests start sessions of: agent {@code enricher} needs an {@code email}. */
final class EventMesh {

  static final JsonNode EMAIL_SCHEMA =
      Event.JSON.readTree(
          "{\"type\":\"object\",\"required\":[\"email\"],"
              + "\"properties\":{\"email\":{\"type\":\"string\"}}}");

  static final Mesh MESH =
      Mesh.builder()
          .model("default", request -> ChatResponse.ofText("\"enriched\""))
          .agent(
              AgentSpec.builder("enricher")
                  .instructions("Enrich the signup.")
                  .inputSchema(EMAIL_SCHEMA)
                  .build())
          .agent(AgentSpec.builder("notifier").instructions("Tell the team.").build())
          .build();

  private EventMesh() {}

  static Sessions sessions(SessionStore store) {
    return Sessions.builder(MESH).store(store).build();
  }

  /** Every session in the store (at most 1000). */
  static List<SessionSummary> all(SessionStore store) {
    return store.query(SessionQuery.builder().limit(SessionQuery.MAX_LIMIT).build()).sessions();
  }
}
