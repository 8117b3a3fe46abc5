package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.sessions.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rejections leave corrections in the decision's append; the agent's next run reads them. */
class ReviewCorrectionsWiringTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aRejectionLeavesACorrectionThatTheAgentsNextRunHasInItsSystemContext() {
    ReviewHarness.Node node = world.node();
    Session first = node.start("Invoice 7");
    ReviewState review = node.pending(first);

    node.reviews()
        .decide(review.id(), review.hash(), "t-bo", Decision.reject("Never promise refunds"));

    CorrectionPage page =
        node.reviews().corrections().query(CorrectionQuery.builder("replier").build());
    assertThat(page.corrections())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.reason()).isEqualTo("Never promise refunds");
              assertThat(c.reviewer()).isEqualTo("bo");
              assertThat(c.reviewId()).isEqualTo(review.id());
              assertThat(c.artifactType()).isEqualTo("outbound-message");
            });

    int before = world.requests.size();
    node.start("Invoice 8");

    assertThat(world.requests.subList(before, world.requests.size()))
        .first()
        .satisfies(
            (ChatRequest r) ->
                assertThat(r.messages())
                    .filteredOn(m -> m.role() == ChatMessage.Role.SYSTEM)
                    .anySatisfy(
                        m -> assertThat(m.textOrEmpty()).contains("Never promise refunds")));
  }

  @Test
  void anApprovalLeavesNoCorrection() {
    ReviewHarness.Node node = world.node();
    ReviewState review = node.pending(node.start("Invoice 9"));

    node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());

    assertThat(
            node.reviews()
                .corrections()
                .query(CorrectionQuery.builder("replier").build())
                .corrections())
        .isEmpty();
  }
}
