package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one place the engine asks about policy: what an agent's spec (and the host's overrides) say
 * about its proposals. Every question the engine has is a method here, answered from the spec's
 * {@link ReviewPolicy}; the decision rules themselves (who may decide, quorum, four eyes, risk,
 * expiry) are the policy evaluation's, which this class calls.
 */
final class EnginePolicy {

  /** What a refused decision says: its reason code and the message the caller gets. */
  record Refusal(Reason reason, String message) {
    ReviewRefusedException exception() {
      return new ReviewRefusedException(reason, message);
    }
  }

  private final Mesh mesh;
  private final Map<String, AgentSpec> specs;
  private final Map<String, String> outputTypes;

  EnginePolicy(Mesh mesh, Map<String, String> outputTypes) {
    this.mesh = mesh;
    this.specs =
        mesh.specs().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(AgentSpec::name, s -> s));
    this.outputTypes = Map.copyOf(outputTypes);
  }

  Optional<AgentSpec> spec(String agent) {
    return Optional.ofNullable(specs.get(agent));
  }

  boolean toolIsIdempotent(String tool) {
    return mesh.tool(tool).map(AgentTool::idempotent).orElse(false);
  }

  ReviewPolicy policy(String agent) {
    return spec(agent).map(AgentSpec::review).orElse(ReviewPolicy.NONE);
  }

  /** The artifact type an agent's output is, when its output is reviewed. */
  Optional<String> outputType(String agent) {
    if (!policy(agent).required()) {
      return Optional.empty();
    }
    return Optional.ofNullable(outputTypes.get(agent));
  }

  /** The tools whose calls by {@code agent} wait for approval. */
  Set<String> gatedTools(String agent) {
    return Set.of();
  }

  /** The risk tier's name of an artifact of {@code type} by {@code agent}. */
  String risk(String agent, String type) {
    return "MEDIUM";
  }

  /** Whether policy approves the whole artifact (below the auto-approval tier). */
  boolean autoApproves(String agent, String type, ReviewArtifact artifact) {
    return false;
  }

  /** The fields of a record change that policy approves on their own. */
  List<String> autoApprovedFields(String agent, ReviewArtifact artifact) {
    return List.of();
  }

  /** When a proposal made at {@code at} expires, or null. */
  @Nullable Instant expiresAt(String agent, Instant at) {
    ReviewPolicy p = policy(agent);
    return p.expiry() == null ? null : at.plus(p.expiry());
  }

  /** What happens at expiry: {@code REJECT}, {@code ESCALATE} or {@code KEEP}. */
  String onExpiry(String agent) {
    return "REJECT";
  }

  /** Who an expired proposal is escalated to, or null. */
  @Nullable String escalateTo(String agent) {
    return null;
  }

  /** How many distinct approvals on the current hash approve. */
  int approvalsNeeded(String agent) {
    return policy(agent).approvals();
  }

  /** The reviewers and groups a proposal is shown to. */
  List<String> reviewers(String agent) {
    return policy(agent).reviewers();
  }

  /** Whether {@code reviewer} may decide {@code review}; empty when allowed. */
  Optional<Refusal> mayDecide(ReviewState review, Reviewer reviewer, Origin origin) {
    String agent = review.provenance().agent();
    if (reviewer.id().equals(agent)) {
      return Optional.of(
          new Refusal(
              Reason.PRODUCING_AGENT,
              "'" + reviewer.id() + "' produced review " + review.id() + " and cannot decide it"));
    }
    List<String> listed = reviewers(agent);
    boolean allowed =
        listed.contains(reviewer.id())
            || listed.stream().anyMatch(reviewer::memberOf)
            || reviewer.id().equals(review.escalatedTo())
            || (review.escalatedTo() != null && reviewer.memberOf(review.escalatedTo()));
    if (!allowed) {
      return Optional.of(
          new Refusal(
              Reason.NOT_A_REVIEWER,
              "'"
                  + reviewer.id()
                  + "' (groups "
                  + reviewer.groups()
                  + ") may not decide review "
                  + review.id()
                  + " of agent '"
                  + agent
                  + "'; its reviewers are "
                  + listed
                  + ". Add them to the agent's review.reviewers or groups"));
    }
    return Optional.empty();
  }
}
