package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.WebhookServerFixture.NOW;
import static dev.agentmesh.triggers.WebhookServerFixture.STD_SECRET;
import static dev.agentmesh.triggers.WebhookServerFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.triggers.WebhookServerFixture.Answer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Copies of one delivery racing over HTTP, to two nodes that share a store: one session. */
class WebhookConcurrencyTest {

  private static final int COPIES = 24;

  @Test
  void racingCopiesOfOneDeliveryOnTwoNodesStartExactlyOneSession() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String body = "{\"title\":\"Race\"}";
    long sent = NOW.getEpochSecond();
    Map<String, String> headers =
        Map.of(
            "webhook-id", "msg_race",
            "webhook-timestamp", String.valueOf(sent),
            "webhook-signature", new Webhook(STD_SECRET).sign("msg_race", sent, body));
    ExecutorService senders = Executors.newFixedThreadPool(COPIES);
    try (WebhookServerFixture a = new WebhookServerFixture(store);
        WebhookServerFixture b = new WebhookServerFixture(store)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < COPIES; i++) {
        WebhookServerFixture node = i % 2 == 0 ? a : b;
        HttpRequest request = node.post("/webhooks/std", headers, bytes(body)).build();
        answers.add(
            senders.submit(
                () -> {
                  go.await();
                  return node.send(request);
                }));
      }
      go.countDown();
      List<Answer> done = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        done.add(answer.get(30, TimeUnit.SECONDS));
      }

      Map<Integer, Long> byStatus =
          done.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
      assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(202, 1L, 200, COPIES - 1L));
      assertThat(done.stream().map(Answer::session).distinct()).hasSize(1);
      assertThat(a.sessionsInStore()).hasSize(1);
    } finally {
      senders.shutdownNow();
    }
  }
}
