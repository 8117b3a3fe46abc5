package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.ReviewPolicy.Risk;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The code of the policy section of docs/review.md (fenced {@code java policy}), compiled and run.
 */
class PolicyDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/PolicyDocsExamplesTest.java");

  static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void theYamlOnThePageIsThePolicyTheExamplesUse() {
    String yaml = DocsExamples.blocks(PAGE, "yaml policy").get(0);
    AgentSpec spec = AgentSpecs.parse(yaml, "docs/review.md");

    assertThat(spec.review())
        .isEqualTo(
            ReviewPolicy.builder()
                .required(true)
                .artifact("record-change")
                .groups("crm-admins")
                .approvals(2)
                .fourEyes(true)
                .expiry(Duration.ofHours(8))
                .onExpiry(ReviewPolicy.OnExpiry.ESCALATE)
                .escalateTo("crm-owners")
                .risk(Risk.MEDIUM)
                .autoApproveBelow(Risk.HIGH)
                .fieldRisk(Map.of("email", Risk.HIGH, "owner", Risk.CRITICAL))
                .build());
  }

  @Test
  void rulesPlanAProposalAndJudgeDecisions() {
    ReviewPolicy policy =
        AgentSpecs.parse(DocsExamples.blocks(PAGE, "yaml policy").get(0), "docs/review.md")
            .review();
    ArtifactTypes types = ArtifactTypes.standard();
    Reviewer ana = Reviewer.of("ana", "crm-admins");
    // docs:begin rules
    HostReviewPolicy host =
        HostReviewPolicy.builder()
            .groups("compliance") // may decide every agent's artifacts
            .type("record-change", HostReviewPolicy.Overrides.builder().reviewers("dana").build())
            .build();
    ReviewRules rules = ReviewRules.of(types, host);

    RecordChange change =
        new RecordChange(
            "crm",
            "contact",
            "0031x00000AbC",
            "17",
            List.of(
                new RecordChange.FieldChange("title", "Engineer", "Staff Engineer"),
                new RecordChange.FieldChange("email", "a@old.example", "a@new.example")));
    ProposalPlan plan = rules.propose(policy, "crm-sync", change, NOW);
    // plan.risk() HIGH (email), plan.expiresAt() NOW + 8h; policy approves the title alone,
    // applied at once; the e-mail address waits for people, applied after the title:
    AutoApproval.Fields split = (AutoApproval.Fields) plan.autoApproval();

    Verdict verdict =
        rules.evaluate(
            DecisionCheck.builder()
                .policy(policy)
                .agent("crm-sync")
                .artifact(split.waiting(), split.waitingHash())
                .seen(split.waitingHash()) // the hash the reviewer was shown
                .origin(Origin.human("bo")) // bo started the session: four eyes excludes bo
                .reviewer(ana) // from the Authenticator, never from the caller
                .decision(Decision.approve())
                .approvals(List.of()) // none yet
                .now(NOW)
                .expiresAt(plan.expiresAt())
                .build());
    if (verdict instanceof Verdict.Refused refused) {
      throw refused.exception(); // a ReviewRefusedException with its reason code
    }
    Verdict.Approves approves = (Verdict.Approves) verdict;
    boolean done = approves.complete(); // false: 1 of 2 approvals
    // docs:end
    assertThat(plan.risk()).isEqualTo(Risk.HIGH);
    assertThat(plan.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(8)));
    assertThat(split.approvedFields()).containsExactly("title");
    assertThat(plan.policy().reviewers()).containsExactly("dana");
    assertThat(plan.policy().groups()).containsExactlyInAnyOrder("crm-admins", "compliance");
    assertThat(approves.approvers()).containsExactly("ana");
    assertThat(done).isFalse();
    Verdict.Refused byStarter =
        (Verdict.Refused)
            rules.evaluate(
                DecisionCheck.builder()
                    .policy(policy)
                    .agent("crm-sync")
                    .artifact(split.waiting(), split.waitingHash())
                    .origin(Origin.human("bo"))
                    .reviewer(Reviewer.of("bo", "crm-admins"))
                    .decision(Decision.approve())
                    .now(NOW)
                    .build());
    assertThat(byStarter.reason()).isEqualTo(Reason.FOUR_EYES);
  }

  @Test
  void everyPolicyBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java policy", SOURCE);
  }
}
