package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The review runtime over sessions: propose, wait, decide, effects once, refusals recorded. */
class ReviewsTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void anAgentsArtifactWaitsWithNoThreadAndAnApprovalCompletesTheSessionAndSendsItOnce() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("My invoice is wrong");

    assertThat(session.state().status()).isEqualTo(SessionStatus.WAITING);
    ReviewState review = node.pending(session);
    assertThat(review.id()).isEqualTo(session.id() + "/r1");
    assertThat(review.artifact()).isInstanceOf(OutboundMessage.class);
    assertThat(review.provenance().agent()).isEqualTo("replier");
    assertThat(review.provenance().specFingerprint()).startsWith("sha256:");
    assertThat(world.sent).isEmpty();

    ReviewOutcome outcome =
        node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());

    assertThat(outcome.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(outcome.effect()).isEqualTo(EffectStatus.APPLIED);
    assertThat(world.sent)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.hash()).isEqualTo(review.hash());
              assertThat(p.idempotencyKey())
                  .isEqualTo("review:" + review.id() + ":" + review.hash().hex());
              assertThat(p.approvers()).containsExactly("bo");
            });
    SessionState done = session.awaitFinished(ReviewHarness.WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().path("subject").asString()).isEqualTo("Your invoice");
    assertThat(node.reviews().review(review.id()).effect()).isEqualTo(EffectStatus.APPLIED);
  }

  @Test
  void aReviewerIdTheCallerMadeUpIsIgnoredAndTheRefusalRecorded() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("Refund please");
    ReviewState review = node.pending(session);

    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "bo", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e ->
                assertThat(((ReviewRefusedException) e).reason())
                    .isEqualTo(Reason.UNAUTHENTICATED));
    assertThatThrownBy(
            () ->
                node.reviews()
                    .decide(review.id(), review.hash(), Reviewer.of("bo"), Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class);

    ReviewState after = node.reviews().review(review.id());
    assertThat(after.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(after.decisions()).isEmpty();
    assertThat(after.refusals()).hasSize(2).allSatisfy(r -> assertThat(r.reviewer()).isNull());
    assertThat(world.sent).isEmpty();
  }

  @Test
  void aStaleHashASecondDecisionAndSomeoneNotAllowedAreRefusedAndRecorded() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 7");
    ReviewState review = node.pending(session);
    ContentHash stale =
        ArtifactTypes.standard()
            .contentHash(
                new OutboundMessage(
                    "email",
                    "support@example.com",
                    List.of("kim@customer.example"),
                    List.of(),
                    List.of(),
                    "Your invoice",
                    "an older draft"));

    assertThatThrownBy(() -> node.reviews().decide(review.id(), stale, "t-bo", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .hasMessageContaining(stale.toString())
        .hasMessageContaining(review.hash().toString());
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "t-eve", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .hasMessageContaining("'eve'");
    node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.reject("Wrong tone"));
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "t-cy", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .hasMessageContaining("already decided");

    ReviewState after = node.reviews().review(review.id());
    assertThat(after.status()).isEqualTo(ReviewStatus.REJECTED);
    assertThat(after.refusals())
        .extracting(ReviewState.RefusalRecord::code)
        .containsExactly(
            Reason.STALE_HASH.code(), Reason.NOT_A_REVIEWER.code(), Reason.ALREADY_DECIDED.code());
    assertThat(after.refusals())
        .extracting(ReviewState.RefusalRecord::reviewer)
        .containsExactly("bo", "eve", "cy");
    assertThat(world.sent).isEmpty();
    SessionState state = session.awaitIdle(ReviewHarness.WAIT);
    assertThat(state.status()).isEqualTo(SessionStatus.FAILED);
    assertThat(state.failure()).contains("Wrong tone");
  }

  @Test
  void requestedChangesRunTheSameAgentAgainAndItsNewArtifactSupersedesTheOld() {
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 8");
    ReviewState first = node.pending(session);

    ReviewOutcome outcome =
        node.reviews()
            .decide(
                first.id(),
                first.hash(),
                "t-cy",
                Decision.requestChanges(
                    "Too short", List.of(Comment.general("Say when the refund arrives"))));
    assertThat(outcome.status()).isEqualTo(ReviewStatus.CHANGES_REQUESTED);
    session.awaitIdle(ReviewHarness.WAIT);

    ReviewState second = node.pending(session);
    assertThat(second.id()).isEqualTo(session.id() + "/r2");
    assertThat(second.supersedes()).isEqualTo(first.id());
    assertThat(((OutboundMessage) second.artifact()).body()).endsWith("draft 2");
    ReviewState old = node.reviews().review(first.id());
    assertThat(old.status()).isEqualTo(ReviewStatus.SUPERSEDED);
    assertThatThrownBy(
            () -> node.reviews().decide(first.id(), first.hash(), "t-bo", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e -> assertThat(((ReviewRefusedException) e).reason()).isEqualTo(Reason.SUPERSEDED));

    node.reviews().decide(second.id(), second.hash(), "t-bo", Decision.approve());
    assertThat(world.sent)
        .singleElement()
        .satisfies(p -> assertThat(p.reviewId()).isEqualTo(second.id()));
  }

  @Test
  void anAgentThatRequiresReviewWithoutSayingWhatItsOutputIsIsRefusedAtBuild() {
    dev.agentmesh.core.Mesh mesh =
        dev.agentmesh.core.Mesh.builder()
            .model("default", request -> dev.agentmesh.core.spi.ChatResponse.ofText("hi"))
            .agent(
                dev.agentmesh.core.AgentSpec.builder("vague")
                    .instructions("Do it.")
                    .review(
                        dev.agentmesh.core.ReviewPolicy.builder()
                            .required(true)
                            .reviewers("bo")
                            .build())
                    .build())
            .build();

    assertThatThrownBy(
            () ->
                Reviews.builder(mesh)
                    .store(dev.agentmesh.sessions.InMemorySessionStore.create())
                    .authenticator(ReviewHarness.TOKENS)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'vague'")
        .hasMessageContaining("review.artifact");
  }
}
