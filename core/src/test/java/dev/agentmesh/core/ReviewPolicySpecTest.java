package dev.agentmesh.core;

import static dev.agentmesh.core.AgentSpecsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.ReviewPolicy.OnExpiry;
import dev.agentmesh.core.ReviewPolicy.Risk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReviewPolicySpecTest {

  static final String HEAD = "name: crm-sync\ninstructions: Go.\ntools: [updateContact]\n";

  static final String FULL =
      HEAD
          + "review:\n"
          + "  required: true\n"
          + "  reviewers: [ana]\n"
          + "  groups: [crm-admins, sales-leads]\n"
          + "  approvals: 2\n"
          + "  fourEyes: true\n"
          + "  expiry: 4h\n"
          + "  onExpiry: escalate\n"
          + "  escalateTo: crm-owners\n"
          + "  risk: medium\n"
          + "  riskByType: {record-change: high, document: low}\n"
          + "  autoApproveBelow: high\n"
          + "  fieldRisk: {email: critical, title: low}\n"
          + "  artifact: record-change\n"
          + "  tools: [updateContact]\n";

  static ReviewPolicy full() {
    return ReviewPolicy.builder()
        .required(true)
        .reviewers("ana")
        .groups("crm-admins", "sales-leads")
        .approvals(2)
        .fourEyes(true)
        .expiry(Duration.ofHours(4))
        .onExpiry(OnExpiry.ESCALATE)
        .escalateTo("crm-owners")
        .risk(Risk.MEDIUM)
        .riskByType(Map.of("record-change", Risk.HIGH, "document", Risk.LOW))
        .autoApproveBelow(Risk.HIGH)
        .fieldRisk(Map.of("email", Risk.CRITICAL, "title", Risk.LOW))
        .artifact("record-change")
        .tools("updateContact")
        .build();
  }

  @Test
  void everyReviewFieldLoadsFromYamlAndEqualsTheBuilder() {
    AgentSpec spec = AgentSpecs.parse(FULL, "crm-sync.yaml");

    assertThat(spec.review()).isEqualTo(full());
    assertThat(AgentSpecs.parse(AgentSpecs.toYaml(spec), "again.yaml")).isEqualTo(spec);
    assertThat(AgentSpecs.parse(AgentSpecs.toJson(spec), "again.json")).isEqualTo(spec);
    assertThat(spec.review().toBuilder().build()).isEqualTo(spec.review());
  }

  @Test
  void aSpecWithTheOriginalFourFieldsLoadsAsBefore() {
    AgentSpec spec =
        AgentSpecs.parse(
            HEAD + "review:\n  required: true\n  reviewers: [ana]\n  approvals: 1\n  expiry: 24h\n",
            "old.yaml");

    assertThat(spec.review())
        .isEqualTo(new ReviewPolicy(true, List.of("ana"), 1, Duration.ofHours(24)));
    assertThat(spec.review().groups()).isEmpty();
    assertThat(spec.review().onExpiry()).isEqualTo(OnExpiry.KEEP);
    assertThat(spec.review().risk()).isEqualTo(Risk.LOW);
    assertThat(AgentSpecs.toYaml(spec)).doesNotContain("onExpiry", "risk", "groups", "fourEyes");
  }

  @Test
  void theFingerprintChangesWithEveryReviewField() {
    AgentSpec spec = AgentSpecs.parse(FULL, "crm-sync.yaml");
    List<UnaryOperator<ReviewPolicy.Builder>> changes =
        List.of(
            b -> b.required(false),
            b -> b.reviewers("bo"),
            b -> b.groups("crm-admins"),
            b -> b.approvals(3),
            b -> b.fourEyes(false),
            b -> b.expiry(Duration.ofHours(5)),
            b -> b.onExpiry(OnExpiry.REJECT).escalateTo(null),
            b -> b.escalateTo("someone-else"),
            b -> b.risk(Risk.LOW),
            b -> b.riskByType(Map.of("record-change", Risk.CRITICAL)),
            b -> b.autoApproveBelow(Risk.MEDIUM),
            b -> b.fieldRisk(Map.of("email", Risk.HIGH)),
            b -> b.artifact("acme.contact-change"),
            b -> b.tools());
    for (UnaryOperator<ReviewPolicy.Builder> change : changes) {
      AgentSpec changed =
          spec.toBuilder().review(change.apply(spec.review().toBuilder()).build()).build();
      assertThat(changed.fingerprint())
          .as(changed.review().toString())
          .isNotEqualTo(spec.fingerprint());
    }
  }

  @Test
  void aMisspelledReviewKeyGetsASuggestion() {
    assertThat(problems(HEAD + "review:\n  required: true\n  fourEye: true\n", "t.yaml"))
        .containsExactly(
            "t.yaml:6:3: unknown field 'review.fourEye' (did you mean 'fourEyes'?); expected one of "
                + SpecCodec.REVIEW_FIELDS);
  }

  @Test
  void badEnumValuesAreReportedWhereTheyStandWithASuggestion() {
    String yaml =
        HEAD
            + "review:\n"
            + "  expiry: 1h\n"
            + "  onExpiry: rejct\n"
            + "  risk: hihg\n"
            + "  riskByType: {table: critcal, document: low}\n"
            + "  autoApproveBelow: 3\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:6:13: field 'review.onExpiry' expected one of [keep, reject, escalate] but"
                + " found 'rejct' (did you mean 'reject'?)",
            "t.yaml:7:9: field 'review.risk' expected one of [low, medium, high, critical] but"
                + " found 'hihg' (did you mean 'high'?)",
            "t.yaml:8:23: field 'review.riskByType.table' expected one of [low, medium, high,"
                + " critical] but found 'critcal' (did you mean 'critical'?)",
            "t.yaml:9:21: field 'review.autoApproveBelow' expected a string but found an integer"
                + " (3)");
  }

  @Test
  void valuesThatDoNotFitTogetherAreReportedAtTheFieldTheyAreAbout() {
    assertThat(problems(HEAD + "review:\n  onExpiry: reject\n", "a.yaml"))
        .containsExactly(
            "a.yaml:5:13: onExpiry is 'reject' but no expiry is set; set expiry (such as 24h) or"
                + " leave onExpiry out");
    assertThat(problems(HEAD + "review:\n  expiry: 2h\n  onExpiry: escalate\n", "b.yaml"))
        .containsExactly(
            "b.yaml:6:13: onExpiry is 'escalate' but escalateTo is not set; name the reviewer or"
                + " group to escalate to");
    assertThat(problems(HEAD + "review:\n  expiry: 2h\n  escalateTo: bosses\n", "c.yaml"))
        .containsExactly(
            "c.yaml:6:15: escalateTo is set but onExpiry is 'keep'; set onExpiry to 'escalate' or"
                + " leave escalateTo out");
    assertThat(problems(HEAD + "review:\n  autoApproveBelow: low\n", "d.yaml"))
        .containsExactly(
            "d.yaml:5:21: autoApproveBelow is 'low', which approves nothing (no tier is below"
                + " low); use medium, high or critical, or leave it out");
    assertThat(problems(HEAD + "review:\n  approvals: 0\n", "e.yaml"))
        .containsExactly("e.yaml:5:14: approvals must be between 1 and 10 but was 0");
    assertThat(problems(HEAD + "review:\n  artifact: Record Change\n", "f.yaml"))
        .containsExactly(
            "f.yaml:5:13: artifact expected an artifact type name (lowercase letters, digits,"
                + " dots and hyphens, such as 'record-change' or 'acme.ticket') but found 'Record"
                + " Change'");
    assertThat(problems(HEAD + "review:\n  groups: [leads, leads]\n", "g.yaml"))
        .containsExactly("g.yaml:5:19: field 'review.groups' lists 'leads' twice; keep one");
  }

  @Test
  void reviewToolsMustBeToolsTheAgentDeclares() {
    AgentSpec spec =
        AgentSpecs.parse(HEAD + "review:\n  tools: [updateContct]\n", "agents/crm-sync.yaml");

    assertThat(AgentSpecs.checkReferences(List.of(spec)))
        .map(SpecProblem::toString)
        .containsExactly(
            "agents/crm-sync.yaml:5:11: review.tools gates 'updateContct' (agent 'crm-sync') but"
                + " the agent does not declare it in tools [updateContact] (did you mean"
                + " 'updateContact'?); add it there or remove it from review.tools");
  }

  @Test
  void theBuilderNamesTheSettingItRefuses() {
    assertThatThrownBy(() -> ReviewPolicy.builder().approvals(11))
        .hasMessage("approvals must be between 1 and 10 but was 11");
    assertThatThrownBy(() -> ReviewPolicy.builder().expiry(Duration.ZERO))
        .hasMessage("expiry must be positive but was 0h");
    assertThatThrownBy(() -> ReviewPolicy.builder().riskByType(Map.of("Bad Type", Risk.LOW)))
        .hasMessageStartingWith("riskByType expected an artifact type name");
    assertThatThrownBy(() -> ReviewPolicy.builder().reviewers("ana", "ana"))
        .hasMessage("reviewers lists 'ana' twice; keep one");
    assertThat(Risk.LOW.isBelow(Risk.MEDIUM)).isTrue();
    assertThat(Risk.max(Risk.HIGH, Risk.MEDIUM)).isEqualTo(Risk.HIGH);
  }
}
