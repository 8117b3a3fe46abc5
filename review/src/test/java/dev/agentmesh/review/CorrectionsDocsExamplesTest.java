package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ScriptedModel;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The code of docs/review.md's "Corrections" section, compiled and run. */
class CorrectionsDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/CorrectionsDocsExamplesTest.java");

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T09:00:00Z"));
  private final SessionStore store = InMemorySessionStore.create();
  private final ScriptedModel model = ScriptedModel.builder().text("Fixed it.").build();
  private final Mesh mesh =
      Mesh.builder()
          .clock(clock)
          .model("default", model)
          .agent(
              AgentSpec.builder("reply")
                  .instructions("Answer the customer.")
                  .review(ReviewPolicy.builder().artifact("outbound-message").build())
                  .build())
          .build();
  private final List<Sessions> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Sessions::close);
  }

  @Test
  void theEngineStoresADecisionsCorrectionsInItsAppend() {
    Sessions sessions = Sessions.builder(mesh).store(store).clock(clock).build();
    opened.add(sessions);
    SessionState state =
        sessions
            .newSession("reply")
            .input("Where is my refund?")
            .start()
            .awaitFinished(java.time.Duration.ofSeconds(30));
    String reviewer = "ana";
    Instant now = clock.instant();
    OutboundMessage message = Samples.message();
    AgentSpec spec = mesh.agent("reply").spec();
    // docs:begin record
    Correction.Source source =
        new Correction.Source(
            state.id(), // the session the artifact was proposed in
            state.id() + "/r1", // the review
            "d-7", // the decision's id: makes the corrections' ids
            "reply",
            spec.fingerprint(),
            "outbound-message",
            message); // read for its target only (a file, a record), never stored
    Decision decision =
        Decision.requestChanges(
            "never promise a refund date",
            List.of(new Comment(Anchor.field("subject"), "say which invoice")));
    List<RowWrite> rows =
        Correction.fromDecision(source, reviewer, decision, now).stream()
            .map(CorrectionRows::insert)
            .toList(); // one for the reason, one per comment
    sessions
        .session(state.id())
        .record(
            s ->
                Recording.of(new SessionEvent.Custom(now, "review.decided", decisionData))
                    .withRows(rows));
    // docs:end
    Corrections corrections = Corrections.builder(store).build();
    assertThat(corrections.query(CorrectionQuery.builder("reply").build()).corrections())
        .extracting(Correction::reason)
        .containsExactly("never promise a refund date", "say which invoice");
  }

  private final tools.jackson.databind.JsonNode decisionData =
      JsonMapper.shared().createObjectNode().put("kind", "request-changes");

  @Test
  void aReviewerListsAndRetiresAnAgentsCorrections() {
    Instant at = clock.instant();
    store.writeRows(
        List.of(
            CorrectionRows.insert(
                CorrectionsTest.correction(
                    "reply",
                    mesh.agent("reply").spec().fingerprint(),
                    "outbound-message",
                    null,
                    "sign with the team's name",
                    at,
                    "s-1"))));
    // docs:begin query
    Corrections corrections = Corrections.builder(store).build(); // the sessions' store
    CorrectionPage page =
        corrections.query(
            CorrectionQuery.builder("reply") // newest first
                .artifactType("outbound-message")
                .activeOnly()
                .limit(20)
                .build());
    for (Correction c : page.corrections()) {
      System.out.println(c.at() + " " + c.reviewer() + " on " + c.anchor() + ": " + c.reason());
    }
    Correction done = corrections.retire(page.corrections().get(0).id(), "ana");
    // done.retired(): who and when; it no longer reaches the agent's runs
    // docs:end
    assertThat(done.active()).isFalse();
    assertThat(page.next()).isNull();
  }

  @Test
  void anAgentsRunGetsItsCorrectionsAsDelimitedContext() throws Exception {
    store.writeRows(
        Correction.fromDecision(
                new Correction.Source(
                    "s-1",
                    "s-1/r1",
                    "d-1",
                    "reply",
                    mesh.agent("reply").spec().fingerprint(),
                    "outbound-message",
                    Samples.message()),
                "ana",
                Decision.requestChanges(
                    "never promise a refund date",
                    List.of(new Comment(Anchor.field("subject"), "say which invoice"))),
                clock.instant())
            .stream()
            .map(CorrectionRows::insert)
            .toList());
    // docs:begin context
    Corrections corrections =
        Corrections.builder(store)
            .maxCount(10) // corrections per turn
            .maxChars(6_000) // the whole text, header included
            .maxCharsEach(1_000) // one correction's quoted text
            .build();
    Sessions sessions =
        Sessions.builder(mesh)
            .store(store)
            .context(corrections.turnContext(mesh)) // Reviews.configure registers this
            .build();
    // docs:end
    opened.add(sessions);
    sessions
        .newSession("reply")
        .input("Refund?")
        .start()
        .awaitFinished(java.time.Duration.ofSeconds(30));

    String prompt = model.requests().get(0).messages().get(0).textOrEmpty();
    String context =
        prompt.substring(prompt.indexOf(CorrectionContext.HEADER), prompt.indexOf("\n</session"));
    String page = Files.readString(PAGE);
    assertThat(page)
        .as("docs/review.md shows the context text exactly")
        .contains("```text\n" + context + "\n```");
  }

  @Test
  void everyCorrectionsBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java corrections", SOURCE);
  }
}
