package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.sessions.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The one place the engine asks about policy: what an agent's spec (and the host's overrides) say
 * about its proposals. The rules themselves are {@link ReviewRules}': tiers, auto-approval and
 * expiry from {@link ReviewRules#propose}, who may decide, quorum, four eyes, stale hashes, edits
 * and comments from {@link ReviewRules#evaluate}, the rest from {@link ReviewRules#policy}. This
 * class only finds the spec and what the engine knows of a review.
 */
final class EnginePolicy {

  private final Mesh mesh;
  private final ArtifactTypes types;
  private final ReviewRules rules;
  private final Map<String, AgentSpec> specs;
  private final Map<String, String> outputTypes;

  EnginePolicy(
      Mesh mesh, ArtifactTypes types, HostReviewPolicy host, Map<String, String> outputTypes) {
    this.mesh = mesh;
    this.types = types;
    this.rules = ReviewRules.of(types, host);
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

  /**
   * The policy in force for {@code agent}'s artifacts of {@code type}: spec plus host overrides.
   */
  EffectivePolicy effective(String agent, String type) {
    return rules.policy(policy(agent), agent, type);
  }

  /** The policy in force for {@code review}'s artifact. */
  EffectivePolicy effective(ReviewState review) {
    return effective(review.provenance().agent(), types.typeOf(review.artifact()).name());
  }

  /** What policy says about a new proposal: tier, expiry, what it approves on its own. */
  ProposalPlan propose(String agent, ReviewArtifact artifact, Instant at) {
    return rules.propose(policy(agent), agent, artifact, at);
  }

  /** Who is told of a proposal: the reviewers and groups in force. */
  List<Recipient> recipients(ReviewState review) {
    EffectivePolicy p = effective(review);
    List<Recipient> out = new ArrayList<>();
    p.reviewers().stream().sorted().forEach(r -> out.add(Recipient.reviewer(r)));
    p.groups().stream().sorted().forEach(g -> out.add(Recipient.group(g)));
    return out;
  }

  /**
   * The rules' verdict on {@code decision} of {@code review} by {@code reviewer}: expiry, stale
   * hash, who may decide, quorum, four eyes, the edit and the comments.
   */
  Verdict evaluate(
      ReviewState review,
      Reviewer reviewer,
      Origin origin,
      ContentHash seen,
      Decision decision,
      Instant now) {
    String agent = review.provenance().agent();
    List<DecisionCheck.Approval> approvals =
        review.approvers().stream().map(a -> new DecisionCheck.Approval(a, review.hash())).toList();
    return rules.evaluate(
        DecisionCheck.builder()
            .policy(policy(agent))
            .agent(agent)
            .artifact(review.artifact(), review.hash())
            .seen(seen)
            .origin(origin)
            .starter(origin.kind() == Origin.Kind.HUMAN ? origin.id() : null)
            .reviewer(reviewer)
            .decision(decision)
            .approvals(approvals)
            .now(now)
            .expiresAt(review.expiresAt())
            .build());
  }

  /** {@code review} as the review queue lists it: who may decide it under the policy in force. */
  PendingReview pending(ReviewState review) {
    return pending(review, review.hash(), review.escalatedTo());
  }

  /**
   * {@code review} as the queue lists it at {@code hash} (after an edit) and, when escalated, with
   * its escalation target among those who may decide it (as a reviewer id and as a group).
   */
  PendingReview pending(ReviewState review, ContentHash hash, @Nullable String escalatedTo) {
    EffectivePolicy p = effective(review);
    Set<String> reviewers = new TreeSet<>(p.reviewers());
    Set<String> groups = new TreeSet<>(p.groups());
    if (escalatedTo != null) {
      reviewers.add(escalatedTo);
      groups.add(escalatedTo);
    }
    return new PendingReview(
        review.id(),
        review.sessionId(),
        p.agent(),
        p.type(),
        hash,
        ReviewPolicy.Risk.valueOf(review.risk()),
        review.proposedAt(),
        review.expiresAt(),
        reviewers,
        groups,
        Texts.truncate(review.title(), PendingReview.MAX_TITLE));
  }
}
