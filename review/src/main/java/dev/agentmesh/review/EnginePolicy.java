package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.ReviewPolicy.Risk;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.sessions.Origin;
import java.time.Instant;
import java.util.ArrayList;
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
    ReviewPolicy p = policy(agent);
    if (!p.required()) {
      return Optional.empty();
    }
    return Optional.ofNullable(p.artifact() != null ? p.artifact() : outputTypes.get(agent));
  }

  /** The tools whose calls by {@code agent} wait for approval. */
  Set<String> gatedTools(String agent) {
    return Set.copyOf(policy(agent).tools());
  }

  /** The risk tier of an artifact of {@code type} by {@code agent}: the higher of the two. */
  Risk risk(String agent, String type) {
    ReviewPolicy p = policy(agent);
    return Risk.max(p.risk(), p.riskByType().getOrDefault(type, p.risk()));
  }

  /** Whether policy approves the whole artifact (below the auto-approval tier). */
  boolean autoApproves(String agent, String type, ReviewArtifact artifact) {
    Risk below = policy(agent).autoApproveBelow();
    if (below == null) {
      return false;
    }
    if (!risk(agent, type).isBelow(below)) {
      return false;
    }
    List<String> fields = fieldsOf(artifact);
    return fields.isEmpty() || autoApprovedFields(agent, artifact).size() == fields.size();
  }

  /** The fields of a record change that policy approves on their own (below the tier). */
  List<String> autoApprovedFields(String agent, ReviewArtifact artifact) {
    ReviewPolicy p = policy(agent);
    Risk below = p.autoApproveBelow();
    if (below == null || !(artifact instanceof RecordChange)) {
      return List.of();
    }
    Risk artifactRisk = risk(agent, "record-change");
    return fieldsOf(artifact).stream()
        .filter(f -> p.fieldRisk().getOrDefault(f, artifactRisk).isBelow(below))
        .toList();
  }

  private static List<String> fieldsOf(ReviewArtifact artifact) {
    return artifact instanceof RecordChange change
        ? change.changes().stream().map(RecordChange.FieldChange::field).toList()
        : List.of();
  }

  /** When a proposal made at {@code at} expires, or null. */
  @Nullable Instant expiresAt(String agent, Instant at) {
    ReviewPolicy p = policy(agent);
    return p.expiry() == null ? null : at.plus(p.expiry());
  }

  /** What happens at expiry. */
  ReviewPolicy.OnExpiry onExpiry(String agent) {
    return policy(agent).onExpiry();
  }

  /** Who an expired proposal is escalated to, or null. */
  @Nullable String escalateTo(String agent) {
    return policy(agent).escalateTo();
  }

  /** How many distinct approvals on the current hash approve. */
  int approvalsNeeded(String agent) {
    return policy(agent).approvals();
  }

  /** Who is told of a proposal: its reviewers and groups. */
  List<Recipient> recipients(String agent) {
    ReviewPolicy p = policy(agent);
    List<Recipient> out = new ArrayList<>();
    p.reviewers().forEach(r -> out.add(Recipient.reviewer(r)));
    p.groups().forEach(g -> out.add(Recipient.group(g)));
    return out;
  }

  /** Whether {@code reviewer} may decide {@code review}; empty when allowed. */
  Optional<Refusal> mayDecide(ReviewState review, Reviewer reviewer, Origin origin) {
    String agent = review.provenance().agent();
    ReviewPolicy p = policy(agent);
    String who = "'" + reviewer.id() + "'";
    if (reviewer.id().equals(agent)) {
      return refuse(
          Reason.PRODUCING_AGENT,
          who + " produced review " + review.id() + " and cannot decide it");
    }
    boolean starter = reviewer.id().equals(origin.id());
    if (starter && origin.kind() != Origin.Kind.HUMAN) {
      return refuse(
          Reason.AUTOMATED_ORIGIN,
          who
              + " is the "
              + origin.kind().id()
              + " trigger that started the session; automated"
              + " triggers never decide");
    }
    String escalatedTo = review.escalatedTo();
    boolean listed =
        p.reviewers().contains(reviewer.id())
            || p.groups().stream().anyMatch(reviewer::memberOf)
            || (escalatedTo != null
                && (reviewer.id().equals(escalatedTo) || reviewer.memberOf(escalatedTo)));
    if (!listed) {
      return refuse(
          Reason.NOT_A_REVIEWER,
          who
              + " (groups "
              + reviewer.groups()
              + ") may not decide review "
              + review.id()
              + " of agent '"
              + agent
              + "'; its reviewers are "
              + p.reviewers()
              + " and groups "
              + p.groups()
              + ". Add them to the agent's review.reviewers or review.groups");
    }
    if (starter && p.fourEyes()) {
      return refuse(
          Reason.FOUR_EYES,
          who
              + " started the session of review "
              + review.id()
              + " and its policy requires four"
              + " eyes: another reviewer decides");
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(Reason reason, String message) {
    return Optional.of(new Refusal(reason, message));
  }
}
