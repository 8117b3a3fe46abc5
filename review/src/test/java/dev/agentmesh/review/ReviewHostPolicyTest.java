package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.ReviewRefusedException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host's overrides reach the runtime's decisions through ReviewRules. */
class ReviewHostPolicyTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aHostReviewerMayDecideAndAHostQuorumHolds() {
    HostReviewPolicy host =
        HostReviewPolicy.builder()
            .reviewers("eve")
            .agent("replier", HostReviewPolicy.Overrides.builder().approvals(2).build())
            .build();
    ReviewHarness.Node node = world.node("a", world.reviews().hostPolicy(host));
    ReviewState review = node.pending(node.start("Invoice 4"));

    ReviewOutcome first =
        node.reviews().decide(review.id(), review.hash(), "t-eve", Decision.approve());
    assertThat(first.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(first.approvalsNeeded()).isEqualTo(2);

    ReviewOutcome second =
        node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    assertThat(second.status()).isEqualTo(ReviewStatus.APPROVED);
  }

  @Test
  void withoutTheHostPolicyTheSameReviewerIsRefused() {
    ReviewHarness.Node node = world.node();
    ReviewState review = node.pending(node.start("Invoice 5"));

    assertThatThrownBy(
            () -> node.reviews().decide(review.id(), review.hash(), "t-eve", Decision.approve()))
        .isInstanceOfSatisfying(
            ReviewRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_REVIEWER));
  }
}
