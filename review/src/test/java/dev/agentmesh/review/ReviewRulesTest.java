package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.ReviewPolicy.OnExpiry;
import dev.agentmesh.core.ReviewPolicy.Risk;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewRulesTest {

  static final ArtifactTypes TYPES = ArtifactTypes.standard();
  static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
  static final ReviewPolicy SPEC =
      ReviewPolicy.builder()
          .required(true)
          .reviewers("ana")
          .groups("support-leads")
          .expiry(Duration.ofHours(24))
          .build();

  final ReviewRules rules = ReviewRules.of(TYPES, HostReviewPolicy.none());

  static DecisionCheck.Builder check(ReviewArtifact artifact, Reviewer reviewer, Decision d) {
    return DecisionCheck.builder()
        .policy(SPEC)
        .agent("reply")
        .artifact(artifact, TYPES.contentHash(artifact))
        .origin(Origin.human("carla"))
        .reviewer(reviewer)
        .decision(d)
        .now(T0);
  }

  Verdict.Refused refused(DecisionCheck check) {
    Verdict v = rules.evaluate(check);
    assertThat(v).isInstanceOf(Verdict.Refused.class);
    return (Verdict.Refused) v;
  }

  @Test
  void hostOverridesAddReviewersAndTheMostSpecificSettingWins() {
    HostReviewPolicy host =
        HostReviewPolicy.builder()
            .groups("compliance")
            .agent(
                "crm-sync",
                HostReviewPolicy.Overrides.builder()
                    .approvals(2)
                    .fourEyes(true)
                    .risk(Risk.MEDIUM)
                    .build())
            .type(
                "record-change",
                HostReviewPolicy.Overrides.builder()
                    .approvals(3)
                    .groups("crm-admins")
                    .risk(Risk.HIGH)
                    .noAutoApproval()
                    .build())
            .build();
    ReviewPolicy spec =
        ReviewPolicy.builder().groups("sales").autoApproveBelow(Risk.CRITICAL).build();
    ReviewRules withHost = ReviewRules.of(TYPES, host);

    EffectivePolicy change = withHost.policy(spec, "crm-sync", "record-change");
    EffectivePolicy doc = withHost.policy(spec, "crm-sync", "document");
    EffectivePolicy other = withHost.policy(spec, "digest", "document");

    assertThat(change.groups()).containsExactlyInAnyOrder("sales", "compliance", "crm-admins");
    assertThat(change.approvals()).isEqualTo(3);
    assertThat(change.risk()).isEqualTo(Risk.HIGH);
    assertThat(change.autoApproveBelow()).isNull();
    assertThat(change.fourEyes()).isTrue();
    assertThat(doc.approvals()).isEqualTo(2);
    assertThat(doc.risk()).isEqualTo(Risk.MEDIUM);
    assertThat(doc.autoApproveBelow()).isEqualTo(Risk.CRITICAL);
    assertThat(other.groups()).containsExactlyInAnyOrder("sales", "compliance");
    assertThat(other.approvals()).isEqualTo(1);
    assertThat(other.risk()).isEqualTo(Risk.LOW);
  }

  @Test
  void anArtifactsTierIsTheHigherOfTheAgentsAndTheTypesAndOrdersTheQueue() {
    ReviewPolicy spec =
        ReviewPolicy.builder()
            .risk(Risk.MEDIUM)
            .riskByType(Map.of("outbound-message", Risk.CRITICAL, "document", Risk.LOW))
            .expiry(Duration.ofHours(2))
            .build();

    ProposalPlan message = rules.propose(spec, "reply", Samples.message(), T0);
    ProposalPlan doc = rules.propose(spec, "reply", Samples.document(), T0);

    assertThat(message.risk()).isEqualTo(Risk.CRITICAL);
    assertThat(message.queueRank()).isZero();
    assertThat(doc.risk()).isEqualTo(Risk.MEDIUM);
    assertThat(doc.queueRank()).isEqualTo(2);
    assertThat(doc.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(doc.hash()).isEqualTo(TYPES.contentHash(Samples.document()));
    assertThat(doc.type()).isEqualTo("document");
    assertThat(doc.autoApproval()).isEqualTo(new AutoApproval.None());
  }

  @Test
  void anArtifactBelowTheTierIsApprovedByPolicy() {
    ReviewPolicy spec = ReviewPolicy.builder().autoApproveBelow(Risk.MEDIUM).build();

    assertThat(rules.propose(spec, "notes", Samples.document(), T0).autoApproval())
        .isEqualTo(new AutoApproval.Whole(Risk.LOW, Risk.MEDIUM));
    assertThat(
            rules
                .propose(
                    spec.toBuilder().risk(Risk.MEDIUM).build(), "notes", Samples.document(), T0)
                .autoApproval())
        .isEqualTo(new AutoApproval.None());
  }

  @Test
  void aRecordChangeIsSplitIntoFieldsApprovedByPolicyAndFieldsThatWait() {
    ReviewPolicy spec =
        ReviewPolicy.builder()
            .autoApproveBelow(Risk.MEDIUM)
            .fieldRisk(Map.of("phone", Risk.HIGH, "fax", Risk.MEDIUM))
            .build();
    RecordChange change = Samples.recordChange(); // title, phone, fax

    ProposalPlan plan = rules.propose(spec, "crm-sync", change, T0);

    assertThat(plan.risk()).isEqualTo(Risk.HIGH);
    AutoApproval.Fields split = (AutoApproval.Fields) plan.autoApproval();
    assertThat(split.approvedFields()).containsExactly("title");
    assertThat(split.waiting().changes())
        .extracting(RecordChange.FieldChange::field)
        .containsExactly("phone", "fax");
    assertThat(split.waiting().versionRead()).isEqualTo("17");
    assertThat(split.waitingRisk()).isEqualTo(Risk.HIGH);
    assertThat(split.approvedHash()).isEqualTo(TYPES.contentHash(split.approved()));
    assertThat(split.waitingHash()).isEqualTo(TYPES.contentHash(split.waiting()));

    ReviewPolicy allLow = spec.toBuilder().fieldRisk(Map.of()).build();
    assertThat(rules.propose(allLow, "crm-sync", change, T0).autoApproval())
        .isEqualTo(new AutoApproval.Whole(Risk.LOW, Risk.MEDIUM));
    ReviewPolicy everyFieldLow =
        spec.toBuilder()
            .risk(Risk.MEDIUM)
            .fieldRisk(Map.of("title", Risk.LOW, "phone", Risk.LOW, "fax", Risk.LOW))
            .build();
    assertThat(rules.propose(everyFieldLow, "crm-sync", change, T0).autoApproval())
        .as("every touched field below the tier: nothing waits, so no split")
        .isEqualTo(new AutoApproval.Whole(Risk.LOW, Risk.MEDIUM));
    assertThat(split.approvedRisk()).isEqualTo(Risk.LOW);
    ReviewPolicy allHigh = spec.toBuilder().risk(Risk.HIGH).fieldRisk(Map.of()).build();
    assertThat(rules.propose(allHigh, "crm-sync", change, T0).autoApproval())
        .isEqualTo(new AutoApproval.None());
  }

  @Test
  void someoneNotListedIsToldWhoMayDecide() {
    Verdict.Refused r =
        refused(check(Samples.document(), Reviewer.of("bo", "sales"), Decision.approve()).build());

    assertThat(r.reason()).isEqualTo(Reason.NOT_A_REVIEWER);
    assertThat(r.message())
        .isEqualTo(
            "'bo' (groups [sales]) may not decide 'document' artifacts of agent 'reply': expected"
                + " one of the reviewers [ana] or a member of the groups [support-leads]; add them"
                + " to the agent's review.reviewers or review.groups, or to the host's"
                + " HostReviewPolicy");
    assertThat(r.exception()).hasMessage(r.message());
    assertThat(r.exception().reason()).isEqualTo(Reason.NOT_A_REVIEWER);
  }

  @Test
  void expiryRejectsOnlyWhenThePolicySaysSoAndEscalationAddsItsTarget() {
    Reviewer boss = Reviewer.of("dana", "support-managers");
    Instant expires = T0.minusSeconds(1);
    ReviewPolicy escalating =
        SPEC.toBuilder().onExpiry(OnExpiry.ESCALATE).escalateTo("support-managers").build();

    Verdict.Refused expired =
        refused(
            check(Samples.document(), Reviewer.of("ana"), Decision.approve())
                .policy(SPEC.toBuilder().onExpiry(OnExpiry.REJECT).build())
                .expiresAt(expires)
                .build());
    assertThat(expired.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(expired.message())
        .isEqualTo(
            "the review expired at 2026-11-30T08:59:59Z and its policy rejects it then"
                + " (review.onExpiry: reject); the agent must propose again");
    assertThat(
            rules.evaluate(
                check(Samples.document(), Reviewer.of("ana"), Decision.approve())
                    .expiresAt(expires)
                    .build()))
        .as("keep: still decidable after expiry")
        .isInstanceOf(Verdict.Approves.class);
    assertThat(
            rules.evaluate(
                check(Samples.document(), boss, Decision.approve())
                    .policy(escalating)
                    .expiresAt(expires)
                    .build()))
        .isInstanceOf(Verdict.Approves.class);
    assertThat(
            refused(
                    check(Samples.document(), boss, Decision.approve())
                        .policy(escalating)
                        .expiresAt(T0.plusSeconds(1))
                        .build())
                .reason())
        .as("not escalated before expiry")
        .isEqualTo(Reason.NOT_A_REVIEWER);
  }

  @Test
  void aDecisionOnContentThatChangedSinceIsStale() {
    ContentHash old = TYPES.contentHash(Samples.message());

    Verdict.Refused r =
        refused(
            check(Samples.document(), Reviewer.of("ana"), Decision.approve()).seen(old).build());

    assertThat(r.reason()).isEqualTo(Reason.STALE_HASH);
    assertThat(r.message())
        .isEqualTo(
            "the decision is on "
                + old
                + " but the artifact under review is now "
                + TYPES.contentHash(Samples.document())
                + " (it was edited since); reload it and decide on what you see");
  }

  @Test
  void anEditIsCheckedRehashedAndDiffedAndStartsAFreshQuorum() {
    Document proposed = Samples.document();
    Document edited =
        new Document(
            proposed.title(),
            proposed.format(),
            proposed.before(),
            proposed.after().replace("Run the migration.", "Run the migration first."));
    ContentHash old = TYPES.contentHash(proposed);

    Verdict v =
        rules.evaluate(
            check(proposed, Reviewer.of("ana"), Decision.edit(edited))
                .policy(SPEC.toBuilder().approvals(2).build())
                .approvals(List.of(new DecisionCheck.Approval("bo", old)))
                .build());

    Verdict.Approves a = (Verdict.Approves) v;
    assertThat(a.hash()).isEqualTo(TYPES.contentHash(edited));
    assertThat(a.approvers()).as("bo approved the old content only").containsExactly("ana");
    assertThat(a.complete()).isFalse();
    assertThat(a.edit()).isNotNull();
    assertThat(a.edit().diff())
        .isEqualTo(
            String.join(
                "\n",
                "--- proposed",
                "+++ edited",
                "@@ -5,7 +5,7 @@",
                "   | ",
                "   | ## Upgrading",
                "   | ",
                "-  | Run the migration.",
                "+  | Run the migration first.",
                " before:",
                "   | # Release 1.2",
                "   | "));
  }

  @Test
  void anEditOfAnotherTypeAnInvalidEditAndAnEmptyEditAreRefused() {
    Document doc = Samples.document();
    Reviewer ana = Reviewer.of("ana");

    Verdict.Refused type = refused(check(doc, ana, Decision.edit(Samples.table())).build());
    Verdict.Refused invalid =
        refused(
            check(doc, ana, Decision.edit(new Document("T", Document.Format.TEXT, "same", "same")))
                .build());
    Verdict.Refused same = refused(check(doc, ana, Decision.edit(doc)).build());

    assertThat(List.of(type.reason(), invalid.reason(), same.reason()))
        .containsOnly(Reason.INVALID_EDIT);
    assertThat(type.message())
        .isEqualTo(
            "an edit must be a 'document' artifact like the proposal but was a 'table'; edit the"
                + " proposed artifact's content instead");
    assertThat(invalid.message())
        .startsWith("the edit is not a valid 'document' artifact: ")
        .endsWith("; fix the edit and decide again");
    assertThat(same.message())
        .isEqualTo(
            "the edit has the same content as the artifact under review ("
                + TYPES.contentHash(doc)
                + "); approve it instead of editing");
  }

  @Test
  void aChangeRequestsCommentsMustPointAtSomethingTheArtifactHas() {
    Table table = Samples.table();
    Decision d =
        Decision.requestChanges(
            "prices look wrong",
            List.of(
                new Comment(Anchor.cell(Map.of("sku", "A1"), "price"), "too high"),
                new Comment(Anchor.cell(Map.of("sku", "Z9"), "price"), "no such row")));

    Verdict.Refused r = refused(check(table, Reviewer.of("ana"), d).build());

    assertThat(r.reason()).isEqualTo(Reason.INVALID_ANCHOR);
    assertThat(r.message())
        .isEqualTo(
            "comment 2 points where nothing is: the table has no row sku=Z9; its rows are"
                + " [sku=A1, sku=C3, sku=D4, sku=B2]");
    Decision ok =
        Decision.requestChanges(
            "prices look wrong",
            List.of(new Comment(Anchor.cell(Map.of("sku", "A1"), "price"), "too high")));
    assertThat(rules.evaluate(check(table, Reviewer.of("ana"), ok).build()))
        .isEqualTo(
            new Verdict.RequestsChanges(
                "prices look wrong", ((Decision.RequestChanges) ok).comments()));
    assertThat(rules.evaluate(check(table, Reviewer.of("ana"), Decision.reject("no")).build()))
        .isEqualTo(new Verdict.Rejects("no"));
  }

  @Test
  void aCheckNamesWhatItIsMissing() {
    assertThatThrownBy(() -> DecisionCheck.builder().agent("reply").build())
        .hasMessage("DecisionCheck needs policy; set it on DecisionCheck.builder()");
  }
}
