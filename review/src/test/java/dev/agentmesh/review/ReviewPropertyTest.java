package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated sequences of proposals, decisions (by reviewers, strangers and forged credentials, on
 * current and stale hashes), edits, rejections, change requests, expiries, sweeps, crashes (an
 * effect that dies mid-way, a new {@code Sessions} and {@code Reviews} on the same store) and
 * takeovers by another node: no effect ever runs twice for one approval, none runs without an
 * approval of exactly the hash it applies, and none for a review that ended otherwise.
 */
class ReviewPropertyTest {

  static Stream<Long> seeds() {
    return Seeds.of(12);
  }

  private ReviewHarness world;

  @AfterEach
  void close() {
    if (world != null) {
      world.close();
    }
  }

  /** One call of the publish handler, as the target saw it. */
  record Call(String reviewId, String key, ContentHash hash, boolean crashed) {}

  @ParameterizedTest
  @MethodSource("seeds")
  void noEffectRunsTwiceNoneWithoutAnApprovalOfItsHashNoneAfterRejectionOrExpiry(long seed) {
    Random random = new Random(seed);
    int approvals = 1 + random.nextInt(2);
    boolean honours = random.nextBoolean();
    world =
        new ReviewHarness(
            InMemorySessionStore.create(),
            p ->
                p.approvals(approvals)
                    .expiry(Duration.ofMinutes(30 + random.nextInt(90)))
                    .onExpiry(
                        random.nextBoolean()
                            ? dev.agentmesh.core.ReviewPolicy.OnExpiry.REJECT
                            : dev.agentmesh.core.ReviewPolicy.OnExpiry.KEEP));
    List<Call> calls = new CopyOnWriteArrayList<>();
    Map<String, Boolean> applied = new ConcurrentHashMap<>();
    AtomicBoolean crashNext = new AtomicBoolean();
    PublishHandler target =
        p -> {
          boolean crash = crashNext.getAndSet(false);
          calls.add(new Call(p.reviewId(), p.idempotencyKey(), p.hash(), crash));
          applied.putIfAbsent(p.idempotencyKey(), true);
          if (crash) {
            throw new ReviewEffectsTest.Crash();
          }
          return null;
        };
    PublishHandler handler = honours ? PublishHandler.idempotent(target) : target;
    List<ReviewHarness.Node> nodes = new ArrayList<>();
    nodes.add(world.node("n0", world.reviews().publisher("outbound-message", handler)));
    List<String> sessions = new ArrayList<>();
    List<String> log = new ArrayList<>();
    int steps = 15 + random.nextInt(15);
    for (int step = 0; step < steps; step++) {
      ReviewHarness.Node node = nodes.get(random.nextInt(nodes.size()));
      int op = random.nextInt(100);
      try {
        if (op < 20 || sessions.isEmpty()) {
          Session s = node.start("ticket " + step);
          sessions.add(s.id());
          log.add("start " + s.id());
        } else if (op < 65) {
          log.add(decide(random, node, sessions, crashNext));
        } else if (op < 80) {
          Duration by = Duration.ofMinutes(random.nextInt(60));
          world.clock.advance(by);
          node.reviews().runDue();
          log.add("advance " + by + " and sweep");
        } else if (op < 90) {
          nodes.add(
              world.node(
                  "n" + nodes.size(), world.reviews().publisher("outbound-message", handler)));
          log.add("a new node takes part");
        } else {
          int gone = random.nextInt(nodes.size());
          nodes.get(gone).reviews().close();
          nodes.set(
              gone,
              world.node(
                  "n" + nodes.size() + "r",
                  world.reviews().publisher("outbound-message", handler)));
          log.add("node " + gone + " restarts");
        }
      } catch (ReviewRefusedException refused) {
        log.add("refused: " + refused.reason());
      } catch (ReviewEffectsTest.Crash crash) {
        log.add("crash mid-effect");
      }
    }
    // everything due is settled eventually
    world.clock.advance(Duration.ofHours(3));
    nodes.get(0).reviews().runDue();
    Seeds.print(getClass(), seed, log);

    Map<String, ReviewState> reviews = new ConcurrentHashMap<>();
    for (String id : sessions) {
      nodes.get(0).reviews().reviews(id).forEach(r -> reviews.put(r.id(), r));
    }
    Map<String, Integer> perReview = new ConcurrentHashMap<>();
    for (Call call : calls) {
      ReviewState review = reviews.get(call.reviewId());
      assertThat(review).as("a call for a review in the log").isNotNull();
      assertThat(review.status())
          .as("called for " + call.reviewId())
          .isEqualTo(ReviewStatus.APPROVED);
      assertThat(call.hash()).as("the hash approved").isEqualTo(review.hash());
      assertThat(call.key()).isEqualTo(Publication.keyOf(review.key(), review.hash()));
      perReview.merge(call.reviewId(), call.crashed() ? 0 : 1, Integer::sum);
    }
    perReview.forEach(
        (id, n) -> assertThat(n).as("completed calls of " + id).isLessThanOrEqualTo(1));
    for (ReviewState review : reviews.values()) {
      long made = calls.stream().filter(c -> c.reviewId().equals(review.id())).count();
      if (!honours) {
        assertThat(made).as("calls of " + review.id() + " (at most once)").isLessThanOrEqualTo(1);
      }
      if (review.status() != ReviewStatus.APPROVED) {
        assertThat(made).as(review.id() + " ended " + review.status()).isZero();
      } else if (review.effect() == EffectStatus.APPLIED) {
        assertThat(applied).containsKey(review.effectKey());
      }
      if (review.effect() == EffectStatus.UNKNOWN) {
        assertThat(honours).as("only a handler that ignores the key leaves an unknown").isFalse();
      }
    }
  }

  private static String decide(
      Random random, ReviewHarness.Node node, List<String> sessions, AtomicBoolean crashNext) {
    String sessionId = sessions.get(random.nextInt(sessions.size()));
    List<ReviewState> all = node.reviews().reviews(sessionId);
    List<ReviewState> open = all.stream().filter(r -> r.status().isOpen()).toList();
    if (!open.isEmpty() && random.nextInt(5) > 0) {
      all = open; // mostly decide what is still open; sometimes what is not
    }
    if (all.isEmpty()) {
      return "nothing to decide in " + sessionId;
    }
    ReviewState review = all.get(random.nextInt(all.size()));
    String credential = List.of("t-bo", "t-cy", "t-eve", "bo", "t-cy").get(random.nextInt(5));
    ContentHash hash = random.nextInt(10) == 0 ? review.proposedHash() : review.hash();
    int kind = random.nextInt(100);
    Decision decision;
    if (kind < 55) {
      decision = Decision.approve();
    } else if (kind < 70) {
      OutboundMessage m = (OutboundMessage) review.artifact();
      decision =
          Decision.edit(
              new OutboundMessage(
                  m.channel(),
                  m.sender(),
                  m.to(),
                  m.cc(),
                  m.bcc(),
                  m.subject(),
                  m.body() + " (edit " + random.nextInt(1000) + ")"));
    } else if (kind < 85) {
      decision = Decision.reject("no " + random.nextInt(10));
    } else {
      decision = Decision.requestChanges("shorter", List.of(Comment.general("too long")));
    }
    crashNext.set(random.nextInt(5) == 0);
    try {
      ReviewOutcome outcome = node.reviews().decide(review.id(), hash, credential, decision);
      return decision.kind()
          + " "
          + review.id()
          + " by "
          + credential
          + " -> "
          + outcome.status()
          + "/"
          + outcome.effect();
    } finally {
      crashNext.set(false);
    }
  }
}
