package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.testsupport.CountingDataSource;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk decisions on PostgreSQL through the engine's page path: each decision recorded singly in its
 * own session's log and each effect run once, the store's work set-based (as many statements for
 * twelve reviews as for six), and a review another node appended to meanwhile judged on its log as
 * it is now, not as this node last folded it.
 */
class PostgresBulkDecisionTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final ReviewQuery REPLIES =
      ReviewQuery.builder().agent("replier").artifactType("outbound-message").build();

  private final List<String> schemas = new ArrayList<>();
  private final List<ReviewHarness> worlds = new ArrayList<>();
  private final CountingDataSource counted = CountingDataSource.of(DB.dataSource());

  @AfterEach
  void close() {
    worlds.forEach(ReviewHarness::close);
    schemas.forEach(DB::dropSchema);
  }

  private ReviewHarness world() {
    String schema = PostgresTestDatabase.newSchema("bulkdecide");
    schemas.add(schema);
    ReviewHarness world =
        new ReviewHarness(
            PostgresSessionStore.builder(counted.dataSource()).schema(schema).build(),
            ReviewHarness::oneApproval);
    worlds.add(world);
    return world;
  }

  private List<ReviewState> propose(ReviewHarness.Node node, int n) {
    List<ReviewState> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(node.pending(node.start("Invoice " + i)));
    }
    return out;
  }

  @Test
  void eachReviewOfABulkApprovalIsDecidedSinglyInItsOwnLogAndPublishedOnce() {
    ReviewHarness world = world();
    List<ReviewState> pending = propose(world.node(), 12);
    // a node that did not propose them: nothing of them cached
    ReviewHarness.Node deciding = world.node("b", world.reviews());

    BulkOutcome outcome = deciding.reviews().decideAll(REPLIES, "t-cy", Decision.approve());

    assertThat(outcome.refused()).isEmpty();
    assertThat(outcome.decided()).hasSize(12);
    assertThat(world.sent).hasSize(12);
    assertThat(world.sent.stream().map(Publication::reviewId))
        .containsExactlyInAnyOrderElementsOf(pending.stream().map(ReviewState::id).toList());
    for (ReviewState review : pending) {
      List<String> types =
          deciding.sessions().session(review.sessionId()).history().stream()
              .map(LoggedEvent::event)
              .filter(SessionEvent.Custom.class::isInstance)
              .map(e -> ((SessionEvent.Custom) e).type())
              .toList();
      assertThat(types)
          .as("the log of %s", review.sessionId())
          .containsExactly(
              ReviewEvents.PROPOSED,
              ReviewEvents.DECIDED,
              ReviewEvents.APPROVED,
              ReviewEvents.EFFECT_STARTED,
              ReviewEvents.EFFECT_APPLIED);
      ReviewState after = deciding.reviews().review(review.id());
      assertThat(after.status()).isEqualTo(ReviewStatus.APPROVED);
      assertThat(after.effect()).isEqualTo(EffectStatus.APPLIED);
      assertThat(after.decisions())
          .singleElement()
          .satisfies(d -> assertThat(d.hash()).isEqualTo(review.hash()));
    }
    assertThat(deciding.reviews().pending(REPLIES).reviews()).isEmpty();
  }

  @Test
  void aBulkDecisionOfTwelveRunsAsManyStatementsAsOneOfSix() {
    ReviewHarness six = world();
    propose(six.node(), 6);
    ReviewHarness.Node decidingSix = six.node("b", six.reviews());
    ReviewHarness twelve = world();
    propose(twelve.node(), 12);
    ReviewHarness.Node decidingTwelve = twelve.node("b", twelve.reviews());

    counted.reset();
    assertThat(decidingSix.reviews().decideAll(REPLIES, "t-cy", Decision.approve()).decided())
        .hasSize(6);
    int forSix = counted.statements();
    counted.reset();
    assertThat(decidingTwelve.reviews().decideAll(REPLIES, "t-cy", Decision.approve()).decided())
        .hasSize(12);
    int forTwelve = counted.statements();

    assertThat(forTwelve).as("statements for 12 (for 6: %d)", forSix).isEqualTo(forSix);
    assertThat(six.sent).hasSize(6);
    assertThat(twelve.sent).hasSize(12);
  }

  @Test
  void aReviewAnotherNodeAppendedToAfterThisNodeFoldedItIsJudgedOnItsLogAsItIsNow() {
    ReviewHarness world = world();
    ReviewHarness.Node a = world.node();
    List<ReviewState> pending = propose(a, 3);
    pending.forEach(r -> a.reviews().review(r.id())); // node a has folded each at its version
    ReviewHarness.Node b = world.node("b", world.reviews());
    BulkOutcome refused = b.reviews().decideAll(REPLIES, "t-eve", Decision.approve());

    BulkOutcome approved = a.reviews().decideAll(REPLIES, "t-cy", Decision.approve());

    assertThat(refused.refused()).hasSize(3);
    assertThat(approved.decided()).hasSize(3);
    for (ReviewState review : pending) {
      ReviewState after = a.reviews().review(review.id());
      assertThat(after.refusals())
          .as("node b's refusal, appended after node a folded %s", review.id())
          .singleElement()
          .satisfies(r -> assertThat(r.reviewer()).isEqualTo("eve"));
      assertThat(after.decisions()).hasSize(1);
      assertThat(after.effect()).isEqualTo(EffectStatus.APPLIED);
    }
    assertThat(world.sent).hasSize(3);
  }
}
