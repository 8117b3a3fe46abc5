package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestNotifierTest {

  static final Instant START = Instant.parse("2026-11-29T09:00:00Z");

  final ManualScheduler manual = new ManualScheduler(FakeClock.at(START));
  final DeliveryScheduler scheduler = InProcessDeliveryScheduler.of(manual.clock(), manual);
  final List<Notification> sent = new ArrayList<>();
  final DigestNotifier digests =
      DigestNotifier.builder(sent::add, scheduler).interval(Duration.ofHours(1)).build().start();

  static Notification request(String id, String title, String agent, String risk, Recipient... to) {
    return Notification.builder(Notification.Kind.REVIEW_REQUESTED, id)
        .title(title)
        .recipients(List.of(to))
        .provenance(new Provenance(id, null, null, agent, risk))
        .build();
  }

  @Test
  void requestsAreHeldUntilTheIntervalThenSentAsOneDigestPerRecipient() {
    Recipient ann = Recipient.reviewer("ann");
    Recipient bob = Recipient.reviewer("bob");
    digests.deliver(request("r1", "Release notes", "writer", "low", ann, bob));
    digests.deliver(request("r2", "Refund 40 EUR", "refunds", "high", ann));

    manual.advance(Duration.ofMinutes(59));
    assertThat(sent).isEmpty();
    manual.advance(Duration.ofMinutes(1));

    assertThat(sent).hasSize(2);
    Notification forAnn = sent.get(0);
    assertThat(forAnn.kind()).isEqualTo(Notification.Kind.DIGEST);
    assertThat(forAnn.recipients()).containsExactly(ann);
    assertThat(forAnn.title()).isEqualTo("2 reviews waiting");
    assertThat(forAnn.id())
        .matches("digest-[0-9a-f]{16}-" + START.plusSeconds(3600).getEpochSecond());
    assertThat(forAnn.items())
        .extracting(Notification::id)
        .containsExactly("r2", "r1"); // refunds before writer
    assertThat(forAnn.surfaces().text())
        .isEqualTo(
            """
        Agent refunds
          risk high: 1
            - Refund 40 EUR
        Agent writer
          risk low: 1
            - Release notes
        """);
    assertThat(sent.get(1).recipients()).containsExactly(bob);
    assertThat(sent.get(1).title()).isEqualTo("1 review waiting");
  }

  @Test
  void requestsOfOneAgentAreGroupedByRisk() {
    Recipient ann = Recipient.reviewer("ann");
    digests.deliver(request("r1", "A", "refunds", "low", ann));
    digests.deliver(request("r2", "B", "refunds", "high", ann));
    digests.deliver(request("r3", "C", "refunds", "low", ann));

    manual.advance(Duration.ofHours(1));

    assertThat(sent)
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.surfaces().markdown())
                    .isEqualTo(
                        """
        *Agent refunds*
        _risk high_
        \u2022 B
        _risk low_
        \u2022 A
        \u2022 C
        """));
  }

  @Test
  void eachIntervalSendsOnlyWhatArrivedSinceTheLastDigest() {
    Recipient ann = Recipient.reviewer("ann");
    digests.deliver(request("r1", "A", "w", "low", ann));
    manual.advance(Duration.ofHours(1));
    manual.advance(Duration.ofHours(1)); // nothing pending: nothing sent
    digests.deliver(request("r2", "B", "w", "low", ann));
    manual.advance(Duration.ofHours(1));

    assertThat(sent).extracting(n -> n.items().size()).containsExactly(1, 1);
    assertThat(sent.get(1).items().get(0).id()).isEqualTo("r2");
    assertThat(manual.pending()).isEqualTo(1); // the next digest is always scheduled
  }

  @Test
  void otherKindsGoStraightThrough() {
    Notification decided =
        Notification.builder(Notification.Kind.DECIDED, "d-1").title("Approved").build();

    digests.deliver(decided);

    assertThat(sent).containsExactly(decided);
  }

  @Test
  void hostileTitlesAgentsAndRisksAreInertInEveryDigestSurface() {
    digests.deliver(
        request(
            "r1",
            "<!channel> <script>x</script>\nforged",
            "<b>agent</b>",
            "<@U1>",
            Recipient.reviewer("ann")));

    manual.advance(Duration.ofHours(1));

    RenderedSurfaces s = sent.get(0).surfaces();
    assertThat(s.markdown()).doesNotContain("<").doesNotContain(">").contains("&lt;!channel&gt;");
    assertThat(s.html())
        .doesNotContain("<script>")
        .doesNotContain("<b>")
        .contains("&lt;script&gt;");
    assertThat(s.text()).contains("<!channel> <script>x</script>\\nforged");
  }

  @Test
  void aFailingDownstreamDoesNotStopLaterDigestsWhenSentThroughDeliveries() {
    List<DeliveryRecord> records = new ArrayList<>();
    Deliveries guarded =
        Deliveries.builder(scheduler)
            .notifier(
                "broken",
                n -> {
                  throw new IllegalStateException("down");
                })
            .retryPolicy(new DeliveryRetryPolicy(2, Duration.ofMinutes(1), Duration.ofMinutes(1)))
            .random(() -> 0L)
            .listener(records::add)
            .build();
    DigestNotifier viaGuard =
        DigestNotifier.builder(guarded, scheduler).interval(Duration.ofHours(1)).build().start();
    viaGuard.deliver(request("r1", "A", "w", "low", Recipient.reviewer("ann")));
    manual.advance(Duration.ofHours(1));
    viaGuard.deliver(request("r2", "B", "w", "low", Recipient.reviewer("ann")));
    manual.advance(Duration.ofHours(1).plusMinutes(1)); // the second digest and its one retry

    assertThat(records)
        .extracting(DeliveryRecord::kind, DeliveryRecord::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Notification.Kind.DIGEST, DeliveryRecord.Outcome.RETRYING),
            org.assertj.core.groups.Tuple.tuple(
                Notification.Kind.DIGEST, DeliveryRecord.Outcome.GAVE_UP),
            org.assertj.core.groups.Tuple.tuple(
                Notification.Kind.DIGEST, DeliveryRecord.Outcome.RETRYING),
            org.assertj.core.groups.Tuple.tuple(
                Notification.Kind.DIGEST, DeliveryRecord.Outcome.GAVE_UP));
  }
}
