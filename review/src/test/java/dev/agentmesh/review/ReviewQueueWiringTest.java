package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The review queue fed by the engine: proposals listed, decisions take them off, bulk decisions.
 */
class ReviewQueueWiringTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  private static List<String> ids(ReviewPage page) {
    return page.reviews().stream().map(PendingReview::reviewId).toList();
  }

  private static ReviewQuery queueOf(Reviewer reviewer) {
    return ReviewQuery.builder().reviewer(reviewer).build();
  }

  @Test
  void aProposalIsInItsReviewersQueuesUntilDecided() {
    ReviewHarness.Node node = world.node();
    ReviewState first = node.pending(node.start("Invoice 1"));
    ReviewState second = node.pending(node.start("Invoice 2"));

    assertThat(ids(node.reviews().pending(queueOf(Reviewer.of("bo")))))
        .containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(ids(node.reviews().pending(queueOf(Reviewer.of("eve"))))).isEmpty();
    PendingReview listed = node.reviews().pending(queueOf(Reviewer.of("cy"))).reviews().get(0);
    assertThat(listed.contentHash()).isIn(first.hash(), second.hash());
    assertThat(listed.agent()).isEqualTo("replier");
    assertThat(listed.artifactType()).isEqualTo("outbound-message");

    node.reviews().decide(first.id(), first.hash(), "t-bo", Decision.reject("wrong customer"));

    assertThat(ids(node.reviews().pending(queueOf(Reviewer.of("bo")))))
        .containsExactly(second.id());
    assertThat(ids(node.reviews().pending(queueOf(Reviewer.of("cy")))))
        .containsExactly(second.id());
  }

  @Test
  void anEditThatWaitsForMoreApprovalsIsListedWithItsNewHash() {
    ReviewHarness world2 =
        new ReviewHarness(
            dev.agentmesh.sessions.InMemorySessionStore.create(),
            b -> ReviewHarness.oneApproval(b).approvals(2));
    try {
      ReviewHarness.Node node = world2.node();
      ReviewState review = node.pending(node.start("Invoice 3"));
      OutboundMessage draft = (OutboundMessage) review.artifact();
      OutboundMessage edited =
          new OutboundMessage(
              draft.channel(),
              draft.sender(),
              draft.to(),
              draft.cc(),
              draft.bcc(),
              draft.subject(),
              draft.body() + " Kind regards, Bo");

      ReviewOutcome out =
          node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.edit(edited));

      assertThat(out.status()).isEqualTo(ReviewStatus.PENDING);
      assertThat(node.reviews().pending(queueOf(Reviewer.of("cy"))).reviews())
          .singleElement()
          .satisfies(p -> assertThat(p.contentHash()).isEqualTo(out.hash()));
    } finally {
      world2.close();
    }
  }

  @Test
  void aBulkApprovalOfOneAgentsTypeDecidesEachSinglyAndRefusesPerPolicy() {
    ReviewHarness.Node node = world.node();
    ReviewState a = node.pending(node.start("Invoice A"));
    ReviewState b = node.pending(node.start("Invoice B"));
    ReviewQuery replies =
        ReviewQuery.builder().agent("replier").artifactType("outbound-message").build();

    BulkOutcome refused = node.reviews().decideAll(replies, "t-eve", Decision.approve());

    assertThat(refused.decided()).isEmpty();
    assertThat(refused.refused())
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r.reason())
                    .isEqualTo(ReviewRefusedException.Reason.NOT_A_REVIEWER.code()));
    assertThat(node.reviews().review(a.id()).refusals()).hasSize(1);
    assertThat(world.sent).isEmpty();

    BulkOutcome approved = node.reviews().decideAll(replies, "t-cy", Decision.approve());

    assertThat(approved.refused()).isEmpty();
    assertThat(approved.decided().stream().map(d -> d.review().reviewId()))
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(node.reviews().review(a.id()).status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(node.reviews().review(b.id()).decisions()).hasSize(1);
    assertThat(world.sent).hasSize(2);
    assertThat(node.reviews().pending(replies).reviews()).isEmpty();
  }
}
