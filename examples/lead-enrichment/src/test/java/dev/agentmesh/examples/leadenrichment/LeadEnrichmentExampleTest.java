package dev.agentmesh.examples.leadenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.EffectStatus;
import dev.agentmesh.review.RecordChange;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.ReviewStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example end to end with its scripted model: one run, then what it did. */
class LeadEnrichmentExampleTest {

  @TempDir static Path dir;
  static LeadEnrichmentApp.Result result;
  static String output;

  @BeforeAll
  static void runTheExample() {
    Properties props = new Properties();
    props.setProperty("agentmesh.example.db", dir.resolve("lead-enrichment.db").toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result =
        LeadEnrichmentApp.run(
            Map.of(), props, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    output = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSignedSignupStartsOneSessionAndItsReplayStartsNothing() {
    assertThat(result.firstStatus()).isEqualTo(202);
    assertThat(result.replayStatus()).isEqualTo(200);
    assertThat(result.sessionsStartedByReplay()).isZero();
    assertThat(output).contains("\"status\":\"duplicate\",\"session\":\"" + result.sessionId());
  }

  @Test
  void danaIsAskedInSlackOncePerSignupForWhatPolicyDidNotApprove() {
    assertThat(output.split("Slack message:\n", -1)).hasSize(3);
    assertThat(output)
        .contains("3. The sweep applies policy's fields and asks Dana about the rest in Slack:")
        .contains("Slack message:\n  | *Review requested: ")
        .contains("  | [Approve] [Reject]");
  }

  @Test
  void policyApprovesTheCompanyFactsAndDanaTheOwnerAndStatus() {
    assertThat(result.reviews()).hasSize(2);
    ReviewState byPolicy = result.reviews().get(0);
    ReviewState rest = result.reviews().get(1);
    assertThat(fields(byPolicy))
        .containsExactly(
            "hs_lead_name",
            "email",
            "company",
            "domain",
            "industry",
            "numberofemployees",
            "country");
    assertThat(byPolicy.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reviewer()).isEqualTo("policy");
              assertThat(d.byPolicy()).isTrue();
            });
    assertThat(fields(rest)).containsExactly("hs_lead_status", "hubspot_owner_id");
    assertThat(rest.follows()).isEqualTo(byPolicy.id());
    assertThat(rest.risk()).isEqualTo("HIGH");
    assertThat(rest.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(rest.decisions())
        .singleElement()
        .satisfies(d -> assertThat(d.reviewer()).isEqualTo("dana"));
    assertThat(result.reviews())
        .extracting(ReviewState::effect)
        .containsExactly(EffectStatus.APPLIED, EffectStatus.APPLIED);
  }

  @Test
  void theLeadIsCreatedFromTheEnrichedFactsAndThenGetsItsOwner() {
    assertThat(result.lead())
        .containsEntry("company", "Tyrell Systems")
        .containsEntry("industry", "Biotechnology")
        .containsEntry("numberofemployees", "4200")
        .containsEntry("email", "rachael@tyrell.example")
        .containsEntry("hs_lead_status", "NEW")
        .containsEntry("hubspot_owner_id", "101");
    assertThat(output)
        .contains("CRM: created leads " + result.leadId() + " with [hs_lead_name, email")
        .contains(
            "CRM: updated leads "
                + result.leadId()
                + " at version 1 with [hs_lead_status, hubspot_owner_id] (approved by dana)");
  }

  @Test
  void anApprovalOfARecordChangedMeanwhileIsRefusedNotWrittenOver() {
    assertThat(result.staleApproval()).isEqualTo(EffectStatus.FAILED);
    assertThat(output).contains("nothing was overwritten").contains("the lead keeps WORKING");
  }

  private static java.util.List<String> fields(ReviewState review) {
    return ((RecordChange) review.artifact())
        .changes().stream().map(RecordChange.FieldChange::field).toList();
  }
}
