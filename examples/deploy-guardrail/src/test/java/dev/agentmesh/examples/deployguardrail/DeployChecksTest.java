package dev.agentmesh.examples.deployguardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployChecksTest {

  private static final DeployChecks CHECKS = DeployChecks.standard();

  private static DeployRequest deploy(
      String environment,
      String image,
      String at,
      List<DeployRequest.Migration> migrations,
      List<String> approvals) {
    return new DeployRequest(
        "billing", environment, image, "ana", Instant.parse(at), migrations, approvals);
  }

  @Test
  void aPinnedReversibleApprovedWeekdayDeployIsAllowed() {
    Verdict v =
        CHECKS.verdict(
            deploy(
                "production",
                "registry.example.com/billing:1.4.2",
                "2026-12-01T10:00:00Z",
                List.of(new DeployRequest.Migration("0042_add", "0042_drop")),
                List.of("bo", "cy")));

    assertThat(v).isEqualTo(new Verdict("billing", "production", "allow", List.of()));
  }

  @Test
  void aBadDeployIsBlockedWithEveryRuleItBrokeInOrder() {
    Verdict v =
        CHECKS.verdict(
            deploy(
                "production",
                "registry.example.com:5000/billing:latest",
                "2026-12-05T11:00:00Z",
                List.of(new DeployRequest.Migration("0007_drop_column", null)),
                List.of("ana", "eve")));

    assertThat(v.decision()).isEqualTo("block");
    assertThat(v.findings())
        .containsExactly(
            new Verdict.Finding(
                "freeze-window",
                "requested for Saturday 12:00 Europe/Berlin, inside the weekend freeze (Friday"
                    + " 15:00 to Monday 07:00); deploy on a weekday"),
            new Verdict.Finding(
                "migration-rollback",
                "migration '0007_drop_column' has no rollback; add the migration that undoes it"),
            new Verdict.Finding(
                "image-tag",
                "image 'registry.example.com:5000/billing:latest' uses the tag 'latest'; pin a"
                    + " version tag or a digest"),
            new Verdict.Finding(
                "approvals",
                "production needs 2 approvals from people other than the requester 'ana' but has"
                    + " 1 [eve]"));
  }

  @Test
  void theFreezeWindowHoldsOnItsEdgesInTheTeamsZoneAndOnFreezeDays() {
    assertThat(freezeFindings("2026-12-04T13:59:00Z")).isZero(); // Friday 14:59 Berlin
    assertThat(freezeFindings("2026-12-04T14:00:00Z")).isOne(); // Friday 15:00 Berlin
    assertThat(freezeFindings("2026-12-07T05:59:00Z")).isOne(); // Monday 06:59 Berlin
    assertThat(freezeFindings("2026-12-07T06:00:00Z")).isZero(); // Monday 07:00 Berlin
    assertThat(freezeFindings("2026-12-22T10:00:00Z")).isOne(); // a Tuesday in the year-end freeze
  }

  @Test
  void stagingHasNoFreezeAndNeedsOneApproval() {
    Verdict v =
        CHECKS.verdict(
            deploy(
                "staging",
                "billing@sha256:0123abcd",
                "2026-12-05T11:00:00Z",
                List.of(),
                List.of("bo")));

    assertThat(v.allowed()).isTrue();
  }

  @Test
  void anUntaggedImageIsNotPinned() {
    Verdict v =
        CHECKS.verdict(
            deploy(
                "staging",
                "registry.example.com:5000/billing",
                "2026-12-01T10:00:00Z",
                List.of(),
                List.of("bo")));

    assertThat(v.findings())
        .extracting(Verdict.Finding::detail)
        .containsExactly(
            "image 'registry.example.com:5000/billing' has no tag; pin a version tag or a digest");
  }

  private static long freezeFindings(String at) {
    return CHECKS
        .verdict(deploy("production", "b:1", at, List.of(), List.of("bo", "cy")))
        .findings()
        .stream()
        .filter(f -> f.rule().equals("freeze-window"))
        .count();
  }
}
