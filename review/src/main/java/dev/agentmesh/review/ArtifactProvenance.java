package dev.agentmesh.review;

import dev.agentmesh.sessions.Origin;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where an artifact comes from: the session it was proposed in, the agent and the exact spec (its
 * fingerprint) that produced it, the model it was bound to, and the typed trigger that started the
 * session. Recorded with every proposal and shown on every surface's envelope.
 *
 * <pre>{@code
 * ArtifactProvenance p = reviews.review(reviewId).provenance();
 * log.info("{} by {} ({}) on {}, started by {}", reviewId, p.agent(), p.specFingerprint(),
 *     p.model(), p.origin().key());
 * }</pre>
 *
 * @param sessionId the session the artifact was proposed in
 * @param agent the producing agent
 * @param specFingerprint the producing spec's {@code AgentSpec.fingerprint()}
 * @param model the model alias the spec names, or null when it names none (a deterministic agent,
 *     whose output a function makes)
 * @param origin what started the session: a human, a schedule, a webhook, another session
 */
public record ArtifactProvenance(
    String sessionId, String agent, String specFingerprint, @Nullable String model, Origin origin) {

  /**
   * Checks the components are present.
   *
   * @param sessionId the session the artifact was proposed in
   * @param agent the producing agent
   * @param specFingerprint the producing spec's fingerprint
   * @param model the model alias, or null
   * @param origin what started the session
   */
  public ArtifactProvenance {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(specFingerprint, "specFingerprint");
    Objects.requireNonNull(origin, "origin");
  }
}
