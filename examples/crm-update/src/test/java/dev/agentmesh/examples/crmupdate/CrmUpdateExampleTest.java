package dev.agentmesh.examples.crmupdate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.crmupdate.CrmUpdateApp.Conversation;
import dev.agentmesh.examples.crmupdate.CrmUpdateApp.Demo;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.CrmServer.RecordedRequest;
import dev.agentmesh.review.EffectStatus;
import dev.agentmesh.review.RecordChange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, run once with the scripted model and "today" fixed; each test reads one aspect. */
class CrmUpdateExampleTest {

  static final Instant TODAY = Instant.parse("2026-11-30T10:15:00Z");

  @TempDir static Path dir;
  static Demo demo;
  static String printed;

  @BeforeAll
  static void runTheDemo() {
    Properties props = new Properties();
    props.setProperty("agentmesh.example.db", dir.resolve("crm-update.db").toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    demo =
        CrmUpdateApp.run(
            Map.of(),
            props,
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Clock.fixed(TODAY, ZoneOffset.UTC));
    printed = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theAgentProposesTheLastTouchAndTheCallOnTheVersionItRead() {
    RecordChange proposed = demo.conversations().get(0).proposed();
    assertThat(proposed)
        .isEqualTo(
            new RecordChange(
                "crm",
                "companies",
                "1001",
                "1",
                List.of(
                    new RecordChange.FieldChange(
                        "notes_last_contacted", "2026-11-02T15:04:00Z", TODAY.toString()),
                    new RecordChange.FieldChange("activity.hs_call_status", null, "NO_ANSWER"),
                    new RecordChange.FieldChange(
                        "activity.hs_call_body",
                        null,
                        "Called Wile Coyote; no answer, left a message."))));
    assertThat(printed)
        .startsWith("Model: the scripted stand-in")
        .contains("maya: \"I called Acme and left a message\"")
        .contains(
            "crm-update proposes a change (WAITING for maya's approval); the review request goes"
                + " to Slack:\nSlack message:\n  | *Review requested: ");
  }

  @Test
  void anApprovedChangeIsAppliedOnceConditionallyAndLogsTheCall() {
    Conversation maya = demo.conversations().get(0);
    assertThat(maya.outcome().effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(maya.refusal()).isEmpty();
    CrmRecord acme = company("1001");
    assertThat(acme.property("notes_last_contacted")).isEqualTo(TODAY.toString());
    assertThat(acme.version()).isEqualTo(2);
    assertThat(requests("PATCH", "/crm/v3/objects/companies/1001"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ifMatch()).isEqualTo("\"1\"");
              assertThat(r.status()).isEqualTo(200);
            });
    List<CrmRecord> calls = callsOf("1001");
    assertThat(calls).hasSize(2); // the sample's call and this one
    CrmRecord logged = calls.get(1);
    assertThat(logged.properties())
        .containsEntry("hs_call_status", "NO_ANSWER")
        .containsEntry("hs_call_body", "Called Wile Coyote; no answer, left a message.")
        .containsEntry("hs_timestamp", TODAY.toString())
        .containsEntry(
            CrmChangePublisher.KEY,
            acme.property(CrmChangePublisher.KEY, "missing on the company"));
    assertThat(maya.events())
        .contains("review.proposed", "review.effect-started", "review.effect-applied")
        .doesNotContain("review.effect-failed");
  }

  @Test
  void anEditedChangeIsTheOneApplied() {
    Conversation luis = demo.conversations().get(1);
    assertThat(luis.decided()).isNotEqualTo(luis.proposed());
    assertThat(luis.outcome().effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(callsOf("1002").get(callsOf("1002").size() - 1).property("hs_call_body"))
        .isEqualTo(
            "Spoke to Hank Scorpio: their IT unblocked the data import; onboarding resumes this"
                + " week.");
    assertThat(callsOf("1002").get(callsOf("1002").size() - 1).property("hs_call_status"))
        .isEqualTo("COMPLETED");
    assertThat(company("1002").property("notes_last_contacted")).isEqualTo(TODAY.toString());
    assertThat(printed)
        .contains(
            "luis edits activity.hs_call_body to \"Spoke to Hank Scorpio: their IT unblocked the"
                + " data import; onboarding resumes this week.\" and approves");
  }

  @Test
  void aRecordChangedInTheCrmMeanwhileIsRefusedAtApplyTimeNotOverwritten() {
    Conversation priya = demo.conversations().get(2);
    assertThat(priya.outcome().effect()).isEqualTo(EffectStatus.FAILED);
    assertThat(priya.refusal())
        .isEqualTo(
            "crm companies '1004' changed since the agent read it (version read '1', now '2');"
                + " nothing was written. Ask the agent for a new proposal against the current"
                + " record");
    CrmRecord umbrella = company("1004");
    assertThat(umbrella.version()).isEqualTo(2);
    assertThat(umbrella.property("onboarding_status")).isEqualTo("in_progress");
    assertThat(umbrella.property("notes_last_contacted")).isEqualTo("2026-10-06T16:45:00Z");
    assertThat(callsOf("1004")).hasSize(1); // only the sample's call
    assertThat(requests("PATCH", "/crm/v3/objects/companies/1004"))
        .extracting(r -> r.ifMatch() + " " + r.status())
        .containsExactly("\"1\" 200", "\"1\" 412"); // dana's change, then priya's stale one
    assertThat(priya.events()).contains("review.effect-failed");
    assertThat(printed)
        .contains("priya approved: effect FAILED, refused by the CRM: crm companies");
  }

  @Test
  void theCrmSawOnlyConditionalWritesAndOneCallPerApplication() {
    assertThat(demo.requests())
        .filteredOn(r -> r.method().equals("PATCH"))
        .allSatisfy(r -> assertThat(r.ifMatch()).isNotNull());
    assertThat(requests("POST", "/crm/v3/objects/calls")).hasSize(2);
  }

  private static CrmRecord company(String id) {
    return demo.companies().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<CrmRecord> callsOf(String companyId) {
    return demo.calls().stream()
        .filter(c -> c.associated("companies").contains(companyId))
        .toList();
  }

  private static List<RecordedRequest> requests(String method, String path) {
    return demo.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }
}
