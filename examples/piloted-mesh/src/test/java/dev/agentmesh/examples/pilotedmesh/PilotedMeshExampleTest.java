package dev.agentmesh.examples.pilotedmesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.ReviewOutcome;
import dev.agentmesh.review.ReviewStatus;
import dev.agentmesh.sessions.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo as a test: stage order, the pilot's approvals, provenance and the audit trail. */
class PilotedMeshExampleTest {

  static PilotedMeshApp.Demo demo;
  static String printed;

  @BeforeAll
  static void runTheDemoOnce() throws Exception {
    Path db = Path.of("target/test-piloted-mesh.db").toAbsolutePath();
    for (String suffix : new String[] {"", "-wal", "-shm"})
      Files.deleteIfExists(Path.of(db + suffix));
    Properties props = new Properties();
    props.setProperty("agentmesh.example.db", db.toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    demo =
        PilotedMeshApp.run(Map.of(), props, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    printed = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void thePilotApprovesTheFourStagesInOrderAndTheParentAnswersAfterTheThirdAndTheFourth() {
    assertThat(demo.approved()).containsExactly("coder", "infra", "observability", "investigator");
    assertThat(demo.outcomes())
        .extracting(ReviewOutcome::status)
        .containsOnly(ReviewStatus.APPROVED);
    assertThat(demo.parent().status()).as(printed).isEqualTo(SessionStatus.COMPLETED);
    assertThat(printed)
        .containsSubsequence(
            "ana approves observability's",
            "pilot: Shipped:",
            "Incident: alertmanager posts into the pilot's session " + demo.parentId(),
            "ana approves investigator's",
            "pilot: Investigated:");
  }

  @Test
  void eachReviewRequestReachesThePilotInSlackBeforeSheApproves() {
    for (String stage : List.of("coder", "infra", "observability", "investigator"))
      assertThat(printed)
          .as(stage)
          .containsSubsequence(
              stage + " proposes a",
              "Slack message:",
              "*Review requested:",
              "[Approve] [Reject]",
              "agent " + stage,
              "ana approves " + stage + "'s");
    // only what the pilot must act on: four requests, no decision notices
    assertThat(printed.split("Slack message:", -1)).hasSize(5);
  }

  @Test
  void theAuditTrailSaysWhoApprovedWhatInStageOrder() {
    assertThat(demo.audit())
        .extracting(PilotedMeshApp.AuditLine::stage)
        .containsExactly("coder", "infra", "observability", "investigator");
    assertThat(demo.audit())
        .extracting(PilotedMeshApp.AuditLine::artifactType)
        .containsExactly("code-diff", "document", "document", "document");
    assertThat(demo.audit())
        .allSatisfy(
            line -> {
              assertThat(line.approver()).isEqualTo(PilotedMeshApp.PILOT);
              assertThat(line.kind()).isEqualTo("APPROVE");
              assertThat(line.hash()).hasSizeGreaterThanOrEqualTo(12);
            });
    for (PilotedMeshApp.AuditLine line : demo.audit())
      assertThat(printed).contains(line.hash().substring(0, 12));
  }

  @Test
  void allFourStagesAreChildSessionsOfTheParentOneForEachOfItsStartSessionCalls() {
    List<PilotedMeshApp.AuditLine> audit = demo.audit();
    assertThat(audit)
        .extracting(PilotedMeshApp.AuditLine::origin)
        .containsExactly(
            "session:" + demo.parentId() + "/stage-1",
            "session:" + demo.parentId() + "/stage-2",
            "session:" + demo.parentId() + "/stage-3",
            "session:" + demo.parentId() + "/stage-4");
    assertThat(audit)
        .extracting(PilotedMeshApp.AuditLine::sessionId)
        .containsExactlyElementsOf(demo.stageSessions());
    assertThat(audit.get(3).sessionId()).isEqualTo(demo.incidentSessionId());
    assertThat(demo.stageSessions()).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void theParentsLogIsTheOrderOfTheStagesAndTheAlertArrivesInIt() {
    // Each stage's call is answered (after the pilot approved its child's artifact) before the
    // next stage's call is made; the alert is posted after the third answer, before the fourth
    // call.
    assertThat(demo.parentLog())
        .containsSubsequence(
            "session.created",
            "tool.suspended stage-1 coder",
            "tool.outcome-resolved stage-1 by agent-trigger",
            "tool.suspended stage-2 infra",
            "tool.outcome-resolved stage-2 by agent-trigger",
            "tool.suspended stage-3 observability",
            "tool.outcome-resolved stage-3 by agent-trigger",
            "session.completed",
            "message.posted by alertmanager",
            "tool.suspended stage-4 investigator",
            "tool.outcome-resolved stage-4 by agent-trigger",
            "session.completed");
    assertThat(demo.parentLog()).filteredOn(l -> l.startsWith("tool.suspended")).hasSize(4);
  }

  @Test
  void eachStagesSessionIsCreatedOnlyAfterThePreviousStagesApproval() {
    List<PilotedMeshApp.AuditLine> audit = demo.audit();
    for (int i = 1; i < audit.size(); i++) {
      PilotedMeshApp.AuditLine previous = audit.get(i - 1);
      PilotedMeshApp.AuditLine stage = audit.get(i);
      assertThat(stage.opened())
          .as(
              "%s's session was created at %s; %s's review.decided is at %s",
              stage.stage(), stage.opened(), previous.stage(), previous.at())
          .isAfter(previous.at());
      assertThat(stage.at())
          .as("%s decided after its session opened", stage.stage())
          .isAfter(stage.opened());
    }
  }
}
