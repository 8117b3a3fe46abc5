package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.ReviewPolicy.OnExpiry;
import dev.agentmesh.core.ReviewPolicy.Risk;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The review policy as pure functions: no sessions, no clock, no I/O. Given what the runtime knows,
 * it says what a new proposal gets ({@link #propose}: tier, queue rank, expiry, who may decide,
 * what policy approves on its own) and whether a decision stands ({@link #evaluate}: who may
 * decide, quorum, four eyes, expiry, stale content, edits and anchors). Immutable and thread-safe.
 *
 * <pre>{@code
 * ReviewRules rules = ReviewRules.of(types, host);
 * ProposalPlan plan = rules.propose(spec.review(), "crm-sync", change, now);
 * Verdict verdict = rules.evaluate(DecisionCheck.builder()...build());
 * }</pre>
 */
public final class ReviewRules {

  /** Origins that are no person: their trigger never decides. */
  private static final Set<Origin.Kind> AUTOMATED =
      EnumSet.of(
          Origin.Kind.CRON,
          Origin.Kind.INTERVAL,
          Origin.Kind.ONCE,
          Origin.Kind.WEBHOOK,
          Origin.Kind.EVENT,
          Origin.Kind.SESSION);

  private final ArtifactTypes types;
  private final HostReviewPolicy host;

  private ReviewRules(ArtifactTypes types, HostReviewPolicy host) {
    this.types = Objects.requireNonNull(types, "types");
    this.host = Objects.requireNonNull(host, "host");
  }

  /**
   * Rules over the specs' policies and the host's overrides.
   *
   * @param types the artifact types (to validate, hash and name artifacts)
   * @param host the host's overrides, or {@link HostReviewPolicy#none()}
   * @return the rules
   */
  public static ReviewRules of(ArtifactTypes types, HostReviewPolicy host) {
    return new ReviewRules(types, host);
  }

  /**
   * The policy in force for {@code agent}'s artifacts of {@code type}: reviewers and groups of the
   * spec and the host added up; other settings from the type's override, else the agent's, else the
   * spec. The tier is the higher of the agent's and the type's.
   *
   * @param spec the agent spec's review policy
   * @param agent the producing agent
   * @param type the artifact type's name
   * @return the policy in force
   */
  public EffectivePolicy policy(ReviewPolicy spec, String agent, String type) {
    HostReviewPolicy.Overrides a = host.agent(agent);
    HostReviewPolicy.Overrides t = host.type(type);
    Set<String> reviewers = union(spec.reviewers(), host.reviewers(), a.reviewers(), t.reviewers());
    Set<String> groups = union(spec.groups(), host.groups(), a.groups(), t.groups());
    Risk agentRisk = first(a.risk(), spec.risk());
    Risk typeRisk = first(t.risk(), spec.riskByType().getOrDefault(type, agentRisk));
    OnExpiry onExpiry = spec.onExpiry();
    String escalateTo = spec.escalateTo();
    for (HostReviewPolicy.Overrides o : List.of(a, t)) {
      if (o.onExpiry() != null) {
        onExpiry = o.onExpiry();
        escalateTo = o.escalateTo();
      }
    }
    Risk below = spec.autoApproveBelow();
    for (HostReviewPolicy.Overrides o : List.of(a, t)) {
      below = o.autoApprovalSet() ? o.autoApproveBelow() : below;
    }
    Map<String, Risk> fieldRisk = new LinkedHashMap<>(spec.fieldRisk());
    fieldRisk.putAll(a.fieldRisk());
    fieldRisk.putAll(t.fieldRisk());
    return new EffectivePolicy(
        agent,
        type,
        reviewers,
        groups,
        first(t.approvals(), first(a.approvals(), spec.approvals())),
        first(t.fourEyes(), first(a.fourEyes(), spec.fourEyes())),
        firstOrNull(t.expiry(), firstOrNull(a.expiry(), spec.expiry())),
        onExpiry,
        escalateTo,
        Risk.max(agentRisk, typeRisk),
        below,
        fieldRisk);
  }

  /**
   * What policy says about a new proposal: its type, hash, tier, expiry, the policy in force and
   * what policy approves on its own.
   *
   * @param spec the agent spec's review policy
   * @param agent the producing agent
   * @param artifact the proposed artifact (validated here)
   * @param proposedAt when it is proposed
   * @return the plan
   * @throws ArtifactValidationException when the artifact is not valid for its type
   */
  public ProposalPlan propose(
      ReviewPolicy spec, String agent, ReviewArtifact artifact, Instant proposedAt) {
    String type = types.typeOf(artifact).name();
    ContentHash hash = types.contentHash(artifact);
    EffectivePolicy p = policy(spec, agent, type);
    Risk risk = p.risk();
    if (artifact instanceof RecordChange change) {
      for (RecordChange.FieldChange f : change.changes()) {
        risk = Risk.max(risk, p.fieldTier(f.field()));
      }
    }
    Duration expiry = p.expiry();
    return new ProposalPlan(
        type,
        hash,
        risk,
        proposedAt,
        expiry == null ? null : proposedAt.plus(expiry),
        p,
        autoApproval(p, artifact, risk));
  }

  private AutoApproval autoApproval(EffectivePolicy p, ReviewArtifact artifact, Risk risk) {
    Risk below = p.autoApproveBelow();
    if (below == null) {
      return new AutoApproval.None();
    }
    if (risk.isBelow(below)) {
      return new AutoApproval.Whole(risk, below);
    }
    if (!(artifact instanceof RecordChange change)) {
      return new AutoApproval.None();
    }
    List<RecordChange.FieldChange> approved = new ArrayList<>();
    List<RecordChange.FieldChange> waiting = new ArrayList<>();
    Risk approvedRisk = Risk.LOW;
    Risk waitingRisk = Risk.LOW;
    for (RecordChange.FieldChange f : change.changes()) {
      Risk tier = p.fieldTier(f.field());
      if (p.autoApproves(tier)) {
        approved.add(f);
        approvedRisk = Risk.max(approvedRisk, tier);
      } else {
        waiting.add(f);
        waitingRisk = Risk.max(waitingRisk, tier);
      }
    }
    if (approved.isEmpty()) {
      return new AutoApproval.None();
    }
    if (waiting.isEmpty()) {
      return new AutoApproval.Whole(approvedRisk, below); // every touched field is below
    }
    RecordChange yes = part(change, approved);
    RecordChange no = part(change, waiting);
    return new AutoApproval.Fields(
        yes, types.contentHash(yes), approvedRisk, no, types.contentHash(no), waitingRisk);
  }

  private static RecordChange part(RecordChange c, List<RecordChange.FieldChange> fields) {
    return new RecordChange(c.system(), c.recordType(), c.recordId(), c.versionRead(), fields);
  }

  /**
   * Whether a decision stands under the policy, and what it does. Checked in this order: expiry
   * (with {@code onExpiry: reject}), stale content (the hash the reviewer saw is not the current
   * one), who may decide (never the producing agent or an automated trigger, not the starter under
   * four eyes, else a listed reviewer, a member of a listed group, or after an escalation its
   * target), then the decision itself (a second approval of the same content by one reviewer, an
   * edit that is not a valid artifact of the same type or changes nothing, a comment anchored where
   * the artifact has nothing).
   *
   * @param check what the runtime knows
   * @return the verdict
   */
  public Verdict evaluate(DecisionCheck check) {
    String type = types.typeOf(check.artifact()).name();
    EffectivePolicy p = policy(check.policy(), check.agent(), type);
    Instant expiresAt = check.expiresAt();
    boolean expired = expiresAt != null && !check.now().isBefore(expiresAt);
    if (expired && p.onExpiry() == OnExpiry.REJECT) {
      return new Verdict.Refused(
          Reason.EXPIRED,
          "the review expired at "
              + expiresAt
              + " and its policy rejects it then (review.onExpiry: reject); the agent must"
              + " propose again");
    }
    ContentHash seen = check.seen();
    if (seen != null && !seen.equals(check.hash())) {
      return new Verdict.Refused(
          Reason.STALE_HASH,
          "the decision is on "
              + seen
              + " but the artifact under review is now "
              + check.hash()
              + " (it was edited since); reload it and decide on what you see");
    }
    Verdict.Refused who = mayDecide(p, check, expired && p.onExpiry() == OnExpiry.ESCALATE);
    return who != null ? who : content(p, check, type);
  }

  private Verdict.@Nullable Refused mayDecide(
      EffectivePolicy p, DecisionCheck c, boolean escalated) {
    Reviewer r = c.reviewer();
    String id = "'" + Texts.truncate(r.id(), 80) + "'";
    if (r.id().equals(c.agent())) {
      return new Verdict.Refused(
          Reason.PRODUCING_AGENT,
          id
              + " is the agent that produced this artifact; an agent never decides its own"
              + " proposal (a reviewing agent adds comments instead)");
    }
    Origin o = c.origin();
    if (AUTOMATED.contains(o.kind()) && (r.id().equals(o.id()) || r.id().equals(o.key()))) {
      return new Verdict.Refused(
          Reason.AUTOMATED_ORIGIN,
          id
              + " is the "
              + o.kind().id()
              + " trigger that started the session; automated triggers never decide: a person"
              + " listed in review.reviewers or review.groups must");
    }
    if (p.fourEyes() && r.id().equals(c.starter())) {
      return new Verdict.Refused(
          Reason.FOUR_EYES,
          id
              + " started the session and the policy requires four eyes (review.fourEyes);"
              + " another reviewer must decide");
    }
    String target = p.escalateTo();
    boolean listed =
        p.reviewers().contains(r.id())
            || p.groups().stream().anyMatch(r::memberOf)
            || (escalated && target != null && (target.equals(r.id()) || r.memberOf(target)));
    if (listed) {
      return null;
    }
    return new Verdict.Refused(
        Reason.NOT_A_REVIEWER,
        id
            + " (groups "
            + r.groups()
            + ") may not decide '"
            + p.type()
            + "' artifacts of agent '"
            + p.agent()
            + "': expected one of the reviewers "
            + sorted(p.reviewers())
            + " or a member of the groups "
            + sorted(p.groups())
            + (escalated && target != null ? " or the escalation target '" + target + "'" : "")
            + "; add them to the agent's review.reviewers or review.groups, or to the host's"
            + " HostReviewPolicy");
  }

  private Verdict content(EffectivePolicy p, DecisionCheck c, String type) {
    Decision d = c.decision();
    if (d instanceof Decision.Approve) {
      List<String> approvers = approvers(c, c.hash());
      if (approvers.contains(c.reviewer().id())) {
        return new Verdict.Refused(
            Reason.ALREADY_APPROVED,
            "'"
                + Texts.truncate(c.reviewer().id(), 80)
                + "' already approved "
                + c.hash()
                + "; the quorum of "
                + p.approvals()
                + " counts distinct reviewers, so another reviewer must approve");
      }
      approvers.add(c.reviewer().id());
      return new Verdict.Approves(c.hash(), approvers, p.approvals(), null);
    }
    if (d instanceof Decision.Edit edit) {
      return edit(p, c, type, edit.edited());
    }
    if (d instanceof Decision.Reject reject) {
      return new Verdict.Rejects(reject.reason());
    }
    Decision.RequestChanges changes = (Decision.RequestChanges) d;
    for (int i = 0; i < changes.comments().size(); i++) {
      Comment comment = changes.comments().get(i);
      String problem = AnchorChecks.problem(comment.anchor(), c.artifact());
      if (problem != null) {
        return new Verdict.Refused(
            Reason.INVALID_ANCHOR, "comment " + (i + 1) + " points where nothing is: " + problem);
      }
    }
    return new Verdict.RequestsChanges(changes.reason(), changes.comments());
  }

  private Verdict edit(EffectivePolicy p, DecisionCheck c, String type, ReviewArtifact edited) {
    String editedType =
        types.type(type).map(t -> t.javaType().isInstance(edited)).orElse(false)
            ? type
            : types.types().stream()
                .filter(t -> t.javaType().equals(edited.getClass()))
                .map(ArtifactType::name)
                .findFirst()
                .orElse(edited.getClass().getName() + " (not a registered type)");
    if (!editedType.equals(type)) {
      return new Verdict.Refused(
          Reason.INVALID_EDIT,
          "an edit must be a '"
              + type
              + "' artifact like the proposal but was a '"
              + editedType
              + "'; edit the proposed artifact's content instead");
    }
    ContentHash hash;
    try {
      hash = types.contentHash(edited);
    } catch (ArtifactValidationException e) {
      return new Verdict.Refused(
          Reason.INVALID_EDIT,
          "the edit is not a valid '"
              + type
              + "' artifact: "
              + String.join("; ", e.problems())
              + "; fix the edit and decide again");
    }
    if (hash.equals(c.hash())) {
      return new Verdict.Refused(
          Reason.INVALID_EDIT,
          "the edit has the same content as the artifact under review ("
              + hash
              + "); approve it instead of editing");
    }
    List<String> approvers = approvers(c, hash);
    if (!approvers.contains(c.reviewer().id())) {
      approvers.add(c.reviewer().id());
    }
    return new Verdict.Approves(
        hash,
        approvers,
        p.approvals(),
        new Verdict.EditCheck(edited, hash, ContentLines.diff(c.artifact(), edited)));
  }

  /** The distinct reviewers who approved {@code hash}, in the order they did. */
  private static List<String> approvers(DecisionCheck c, ContentHash hash) {
    Set<String> out = new LinkedHashSet<>();
    for (DecisionCheck.Approval a : c.approvals()) {
      if (a.hash().equals(hash)) {
        out.add(a.reviewer());
      }
    }
    return new ArrayList<>(out);
  }

  @SafeVarargs
  private static Set<String> union(java.util.Collection<String>... parts) {
    Set<String> out = new LinkedHashSet<>();
    for (java.util.Collection<String> part : parts) {
      out.addAll(part);
    }
    return out;
  }

  private static <T> T first(@Nullable T override, T fallback) {
    return override != null ? override : fallback;
  }

  private static <T> @Nullable T firstOrNull(@Nullable T override, @Nullable T fallback) {
    return override != null ? override : fallback;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().map(n -> Texts.truncate(n, 80)).toList();
  }
}
