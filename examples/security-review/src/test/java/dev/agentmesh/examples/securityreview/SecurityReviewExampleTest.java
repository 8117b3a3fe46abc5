package dev.agentmesh.examples.securityreview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.review.Anchor;
import dev.agentmesh.review.CodeDiff;
import dev.agentmesh.review.Comment;
import dev.agentmesh.review.ReviewRefusedException;
import dev.agentmesh.review.ReviewState;
import dev.agentmesh.review.ReviewStatus;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The example's session with the scripted model: artifacts, findings, decisions and the log. */
class SecurityReviewExampleTest {

  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final Mesh mesh = SecurityReviewApp.mesh(new OfflineCodingModel());
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
  private final Reviews reviews = SecurityReviewApp.reviews(mesh, store, out);
  private final Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();

  @AfterEach
  void close() {
    reviews.close();
    sessions.close();
    mesh.close();
  }

  private SessionState runSession() {
    return SecurityReviewApp.codingSession(sessions, reviews, out);
  }

  @Test
  void theSecurityReviewerAnswersOneMessageWithAnchoredCommentsAndTheCoderAnswersTheNext() {
    SessionState done = runSession();

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    List<ReviewState> all = reviews.reviews(done.id());
    assertThat(all)
        .extracting(ReviewState::status)
        .containsExactly(ReviewStatus.SUPERSEDED, ReviewStatus.APPROVED);
    ReviewState first = all.get(0);
    ReviewState fixed = all.get(1);

    String file = "'" + OfflineCodingModel.PATH + "'";
    assertThat(first.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.agent()).isEqualTo("security-reviewer");
              assertThat(f.comments())
                  .extracting(ReviewState.Comment::where)
                  .containsExactly(file + " line 22", file + " line 23", file + " line 25");
              assertThat(f.comments())
                  .extracting(ReviewState.Comment::text)
                  .allSatisfy(t -> assertThat(t).matches("(high|critical): .+"));
            });
    assertThat(first.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reviewer()).isEqualTo("bo");
              assertThat(d.kind()).isEqualTo(ReviewState.Kind.REQUEST_CHANGES);
              assertThat(d.comments()).hasSize(3);
            });
    assertThat(fixed.supersedes()).endsWith("r1");
    assertThat(fixed.findings()).isEmpty();
    assertThat(fixed.approvers()).containsExactly("bo");
    assertThat(fixed.effect()).isEqualTo(dev.agentmesh.review.EffectStatus.APPLIED);
    assertThat(all)
        .flatExtracting(ReviewState::decisions)
        .extracting(ReviewState.DecisionRecord::reviewer)
        .as("an agent's findings are comments, never a decision")
        .containsExactly("bo", "bo");

    CodeDiff approved = done.output(CodeDiff.class);
    assertThat(approved.files().get(0).patch())
        .contains("+import java.sql.PreparedStatement;")
        .doesNotContain("MD5")
        .doesNotContain("password={}");
  }

  @Test
  void theLogShowsWhoAskedWhichAgentAnsweredAndEveryReviewStep() {
    SessionState done = runSession();
    List<LoggedEvent> log = sessions.session(done.id()).history();

    List<String> runs = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    for (LoggedEvent e : log) {
      if (e.event() instanceof SessionEvent.AgentStep step
          && step.event() instanceof AgentEvent.RunStarted started) {
        runs.add(started.agent());
      }
      String type = e.event().type();
      if (type.startsWith("review.") || type.startsWith("session.")) steps.add(type);
    }
    assertThat(runs).containsExactly("coder", "security-reviewer", "coder");
    assertThat(steps)
        .containsExactly(
            "session.created",
            "review.proposed",
            "review.commented",
            "review.decided",
            "session.context", // bo's change request reaches the coder's next turn as a correction
            "review.superseded",
            "review.proposed",
            "review.decided",
            "review.approved",
            "session.completed",
            "review.effect-started",
            "review.effect-applied");
    assertThat(done.transcript())
        .filteredOn(m -> m.role() == ChatMessage.Role.USER)
        .extracting(ChatMessage::author)
        .startsWith(null, "bo", "ana", "bo");
    assertThat(theRunAfter(log, "ana"))
        .as("ana's plain message, after the message to the security reviewer, is the coder's")
        .isEqualTo("coder");
    assertThat(done.participants()).containsOnlyKeys("ana", "bo");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("bo -> security-reviewer (this message only): Before I approve it")
        .contains("ana (to the session, so to its default agent): Thanks.")
        .contains("[security-reviewer] " + "'" + OfflineCodingModel.PATH + "' line 23: critical:")
        .contains("  merged [" + OfflineCodingModel.PATH + "] (key review:")
        .contains("bo approves")
        .contains("session COMPLETED");
  }

  /** The agent of the first run after {@code author}'s plain message (addressed to no agent). */
  private static String theRunAfter(List<LoggedEvent> log, String author) {
    boolean posted = false;
    for (LoggedEvent e : log) {
      if (e.event() instanceof SessionEvent.MessagePosted m
          && m.author().equals(author)
          && m.addressedTo() == null) {
        posted = true;
      } else if (posted
          && e.event() instanceof SessionEvent.AgentStep step
          && step.event() instanceof AgentEvent.RunStarted started) {
        return started.agent();
      }
    }
    throw new AssertionError("no run after a plain message of " + author);
  }

  @Test
  void aFindingAnchoredOutsideTheDiffIsRefusedAndAnAgentCannotDecide() {
    SessionState waiting =
        sessions
            .newSession("coder")
            .input(java.util.Map.of("task", SecurityReviewApp.TASK))
            .origin(dev.agentmesh.sessions.Origin.human("ana"))
            .start()
            .awaitIdle(SecurityReviewApp.TURN);
    ReviewState review = reviews.pending(waiting.id()).get(0);

    assertThatThrownBy(
            () ->
                reviews.comment(
                    review.id(),
                    "security-reviewer",
                    List.of(
                        new Comment(Anchor.line(OfflineCodingModel.PATH, 999), "no such line"))))
        .isInstanceOf(ReviewRefusedException.class)
        .hasMessageContaining("999");
    assertThatThrownBy(
            () ->
                reviews.decide(
                    review.id(),
                    review.hash(),
                    SecurityFindings.AGENT,
                    dev.agentmesh.review.Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e ->
                assertThat(((ReviewRefusedException) e).reason().code())
                    .isEqualTo("unauthenticated"));
    assertThat(reviews.review(review.id()).status()).isEqualTo(ReviewStatus.PENDING);
  }
}
