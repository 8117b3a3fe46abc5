package dev.agentmesh.examples.springboot;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The host's own settings, under {@code agentmesh.*} in {@code application.yaml}.
 *
 * @param schema the PostgreSQL schema of the session tables; Flyway's default schema must be the
 *     same ({@code spring.flyway.default-schema})
 * @param reviewerTokens each bearer token and the reviewer it proves (a stand-in for the host's
 *     single sign-on)
 * @param nodeId this node's name in leases and trigger claims; empty for a generated one
 */
@ConfigurationProperties("agentmesh")
public record HostProperties(
    @DefaultValue("agentmesh") String schema,
    Map<String, String> reviewerTokens,
    @DefaultValue("") String nodeId) {

  /**
   * Copies the token map.
   *
   * @param schema the PostgreSQL schema of the session tables
   * @param reviewerTokens each bearer token and the reviewer it proves
   * @param nodeId this node's name, or empty
   */
  public HostProperties {
    reviewerTokens = reviewerTokens == null ? Map.of() : Map.copyOf(reviewerTokens);
  }
}
