package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Session;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quorum, edits and expiry as the engine applies them to a session's review. */
class ReviewPolicyFlowTest {

  private ReviewHarness world;

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void anEditMakesANewHashThatEarlierApprovalsDoNotCountFor() {
    world = new ReviewHarness(InMemorySessionStore.create(), p -> p.approvals(2));
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 9");
    ReviewState review = node.pending(session);

    ReviewOutcome first =
        node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    assertThat(first.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(first.approvals()).isEqualTo(1);
    assertThat(first.approvalsNeeded()).isEqualTo(2);

    OutboundMessage draft = (OutboundMessage) review.artifact();
    OutboundMessage edited =
        new OutboundMessage(
            draft.channel(),
            draft.sender(),
            draft.to(),
            draft.cc(),
            draft.bcc(),
            draft.subject(),
            draft.body() + "\nKind regards, Cy");
    ReviewOutcome edit =
        node.reviews().decide(review.id(), review.hash(), "t-cy", Decision.edit(edited));

    assertThat(edit.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(edit.hash()).isNotEqualTo(review.hash());
    assertThat(edit.approvals())
        .as("only the editor's approval counts for the new hash")
        .isEqualTo(1);
    ReviewState now = node.reviews().review(review.id());
    assertThat(now.artifact()).isEqualTo(edited);
    assertThat(now.proposed()).isEqualTo(draft);
    assertThat(now.decisions().get(1).diff()).contains("+").contains("Kind regards, Cy");
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e -> assertThat(((ReviewRefusedException) e).reason()).isEqualTo(Reason.STALE_HASH));
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), edit.hash(), "t-cy", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e ->
                assertThat(((ReviewRefusedException) e).reason())
                    .isEqualTo(Reason.ALREADY_APPROVED));

    ReviewOutcome done =
        node.reviews().decide(review.id(), edit.hash(), "t-bo", Decision.approve());

    assertThat(done.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(world.sent)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.artifact()).isEqualTo(edited);
              assertThat(p.idempotencyKey()).endsWith(edit.hash().hex());
              assertThat(p.approvers()).containsExactlyInAnyOrder("cy", "bo");
            });
  }

  @Test
  void anInvalidEditIsRefusedAndRecorded() {
    world = new ReviewHarness();
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 10");
    ReviewState review = node.pending(session);
    OutboundMessage noRecipient =
        new OutboundMessage(
            "email", "support@example.com", List.of(), List.of(), List.of(), "x", "y");

    assertThatThrownBy(
            () ->
                node.reviews()
                    .decide(review.id(), review.hash(), "t-bo", Decision.edit(noRecipient)))
        .isInstanceOf(ReviewRefusedException.class)
        .hasMessageContaining("recipient")
        .satisfies(
            e -> assertThat(((ReviewRefusedException) e).reason()).isEqualTo(Reason.INVALID_EDIT));
    assertThat(node.reviews().review(review.id()).refusals())
        .extracting(ReviewState.RefusalRecord::code)
        .containsExactly(Reason.INVALID_EDIT.code());
  }

  @Test
  void anExpiredReviewIsRejectedOnTheDurableSweepAndALateDecisionRefused() {
    world =
        new ReviewHarness(
            InMemorySessionStore.create(),
            p ->
                p.reviewers("bo")
                    .expiry(Duration.ofHours(1))
                    .onExpiry(ReviewPolicy.OnExpiry.REJECT));
    ReviewHarness.Node node = world.node();
    Session session = node.start("Invoice 11");
    ReviewState review = node.pending(session);
    assertThat(review.expiresAt()).isEqualTo(ReviewHarness.START.plus(Duration.ofHours(1)));

    assertThat(node.reviews().runDue()).as("nothing is due yet").isZero();
    world.clock.advance(Duration.ofMinutes(61));
    // a decision after the instant is refused even before the sweep fired the expiry
    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve()))
        .isInstanceOf(ReviewRefusedException.class)
        .satisfies(
            e -> assertThat(((ReviewRefusedException) e).reason()).isEqualTo(Reason.EXPIRED));
    // a second node's sweep fires it once
    ReviewHarness.Node other = world.node("b", world.reviews());
    assertThat(other.reviews().runDue()).isEqualTo(1);
    assertThat(node.reviews().runDue()).isZero();

    ReviewState expired = node.reviews().review(review.id());
    assertThat(expired.status()).isEqualTo(ReviewStatus.EXPIRED);
    assertThat(expired.refusals())
        .extracting(ReviewState.RefusalRecord::code)
        .containsExactly(Reason.EXPIRED.code());
    assertThat(world.sent).isEmpty();
  }
}
