package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deterministic agent (a spec naming a {@code function}, no model bound) under a {@code review:}
 * section: its output is an artifact that waits for approval like any agent's, an approval applies
 * its effect once, a rejection fails the turn, and a request for changes runs the function again.
 * The block fenced {@code ```java deterministic} in docs/review.md is a region of this test.
 */
class DeterministicReviewTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/DeterministicReviewTest.java");
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What was released. */
  record Release(String version, List<String> changes) {}

  private final List<Release> calls = new CopyOnWriteArrayList<>();
  private final List<Publication> published = new CopyOnWriteArrayList<>();
  private final SessionStore store = InMemorySessionStore.create();
  private final Reviews reviews;
  private final Sessions sessions;

  DeterministicReviewTest() {
    Authenticator authenticator = ReviewHarness.TOKENS;
    // docs:begin mesh
    Mesh mesh =
        Mesh.builder()
            .agent(
                AgentSpec.builder("release-notes")
                    .function("notes") // no model: the bound function writes the document
                    .inputType(Release.class)
                    .review(
                        ReviewPolicy.builder()
                            .required(true)
                            .reviewers("bo")
                            .artifact("document")
                            .build())
                    .build())
            .function("notes", Release.class, this::notes)
            .build();
    Reviews reviews =
        Reviews.builder(mesh)
            .store(store)
            .authenticator(authenticator)
            .publisher("document", publication -> published.add(publication) ? "published" : null)
            .build();
    Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();
    // docs:end
    this.reviews = reviews;
    this.sessions = sessions;
  }

  /** Pure: the same release gives the same notes. */
  private Document notes(Release release) {
    calls.add(release);
    return new Document(
        "Release " + release.version(),
        Document.Format.MARKDOWN,
        "",
        "# " + release.version() + "\n\n- " + String.join("\n- ", release.changes()) + "\n");
  }

  @AfterEach
  void close() {
    reviews.close();
    sessions.close();
  }

  private Session start() {
    Session session =
        sessions
            .newSession("release-notes")
            .input(new Release("1.4.0", List.of("faster search", "dark mode")))
            .origin(Origin.human("ana"))
            .start();
    assertThat(session.awaitIdle(WAIT).status()).isEqualTo(SessionStatus.WAITING);
    return session;
  }

  private static List<String> types(Session session) {
    return session.history().stream().map(e -> e.event().type()).toList();
  }

  @Test
  void aFunctionsArtifactWaitsForApprovalAndItsEffectIsAppliedOnce() {
    Session session = start();
    ReviewState review = reviews.pending(session.id()).get(0);

    assertThat(review.artifact())
        .isEqualTo(notes(new Release("1.4.0", List.of("faster search", "dark mode"))));
    assertThat(review.provenance().agent()).isEqualTo("release-notes");
    assertThat(review.provenance().model()).isNull(); // no model made it
    assertThat(published).isEmpty();

    ReviewOutcome outcome = reviews.decide(review.id(), review.hash(), "t-bo", Decision.approve());

    assertThat(outcome.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(outcome.effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(published)
        .singleElement()
        .satisfies(p -> assertThat(p.artifact()).isEqualTo(review.artifact()));
    assertThatThrownBy(() -> reviews.decide(review.id(), review.hash(), "t-bo", Decision.approve()))
        .isInstanceOfSatisfying(
            ReviewRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(ReviewRefusedException.Reason.ALREADY_DECIDED));
    SessionState done = session.awaitFinished(WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output(Document.class)).isEqualTo(review.artifact());
    assertThat(published).hasSize(1);
    assertThat(calls).hasSize(2); // one run, and the expected value built above
    assertThat(types(session))
        .containsSubsequence(
            "agent.run.started",
            "agent.output.produced",
            "review.proposed",
            "review.decided",
            "review.approved",
            "session.completed", // with the approval; the effect follows it
            "review.effect-started",
            "review.effect-applied")
        .noneMatch(t -> t.startsWith("agent.model"));
  }

  @Test
  void aRejectionFailsTheTurnAndNothingIsPublished() {
    Session session = start();
    ReviewState review = reviews.pending(session.id()).get(0);

    reviews.decide(review.id(), review.hash(), "t-bo", Decision.reject("1.4.0 is not out yet"));

    SessionState failed = session.awaitFinished(WAIT);
    assertThat(failed.status()).isEqualTo(SessionStatus.FAILED);
    assertThat(published).isEmpty();
    assertThat(calls).hasSize(1);
  }

  @Test
  void requestedChangesRunTheFunctionAgainOnTheSessionsInputNotOnTheReason() {
    Session session = start();
    ReviewState first = reviews.pending(session.id()).get(0);

    reviews.decide(
        first.id(),
        first.hash(),
        "t-bo",
        Decision.requestChanges("say what dark mode is", List.of()));

    session.awaitIdle(WAIT);
    ReviewState second = reviews.pending(session.id()).get(0);
    assertThat(calls)
        .hasSize(2)
        .containsOnly(new Release("1.4.0", List.of("faster search", "dark mode")));
    assertThat(second.id()).endsWith("/r2");
    assertThat(second.hash()).isEqualTo(first.hash()); // a pure function answers the same
    assertThat(reviews.review(first.id()).status()).isEqualTo(ReviewStatus.SUPERSEDED);
    reviews.decide(second.id(), second.hash(), "t-bo", Decision.approve());
    assertThat(session.awaitFinished(WAIT).status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(published).hasSize(1);
  }

  @Test
  void theJavaOnTheDocsPageIsTheCodeOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java deterministic", SOURCE);
  }
}
