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
  void thePilotApprovesTheFourStagesInOrderAndTheParentFinishesAfterTheThird() {
    assertThat(demo.approved()).containsExactly("coder", "infra", "observability", "investigator");
    assertThat(demo.outcomes())
        .extracting(ReviewOutcome::status)
        .containsOnly(ReviewStatus.APPROVED);
    assertThat(demo.parent().status()).as(printed).isEqualTo(SessionStatus.COMPLETED);
    assertThat(printed.indexOf("ana approves observability's"))
        .isLessThan(printed.indexOf("Incident: CheckoutErrorRate"));
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
  void theStagesAreChildSessionsOfTheParentAndTheInvestigationWasOpenedByTheEvent() {
    List<PilotedMeshApp.AuditLine> audit = demo.audit();
    for (PilotedMeshApp.AuditLine line : audit.subList(0, 3))
      assertThat(line.origin()).isEqualTo("session:" + demo.parentId());
    assertThat(audit.get(3).sessionId()).isEqualTo(demo.incidentSessionId());
    assertThat(audit.get(3).origin()).isEqualTo("event:incident-investigation");
    assertThat(demo.stageSessions()).hasSize(4).doesNotHaveDuplicates();
  }
}
