package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testsupport.Await;
import dev.agentmesh.testsupport.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RabbitMqSource} against the real RabbitMQ server on 127.0.0.1:5672. */
class RabbitMqSourceTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SIGNUP = "{\"email\":\"ana@example.com\"}";

  private static RabbitMq mq;

  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeAll
  static void connect() {
    mq = RabbitMq.connect(RabbitMqSourceTest.class);
  }

  @AfterAll
  static void deleteQueuesAndExchanges() throws IOException {
    mq.close();
  }

  @AfterEach
  void closeSourcesAndSessions() throws Exception {
    Collections.reverse(closeLater);
    for (AutoCloseable c : closeLater) {
      c.close();
    }
  }

  @Test
  void aMessageIsAckedOnlyAfterItsSessionIsStoredAndRetriedWhileTheStoreIsDown() throws Exception {
    FlakyStore store = new FlakyStore();
    store.down(true);
    String queue = mq.queue();
    RabbitMqSource source = source(store, queue, b -> {});

    mq.publish(queue, "m-1", SIGNUP);
    // tried again: it was put back, not acked (an acked message never comes again)
    Await.until("the message was tried twice", WAIT, () -> store.refusedAppends.get() >= 2);
    assertThat(EventMesh.all(store)).isEmpty();

    store.down(false);
    Await.until("its session exists", WAIT, () -> EventMesh.all(store).size() == 1);
    source.close(); // anything unacked would be ready again now

    assertThat(mq.ready(queue)).isZero();
    assertThat(store.creations.get()).isEqualTo(1);
  }

  @Test
  void aConnectionClosedByTheServerRecoversAndItsRedeliveredMessageStartsNoSecondSession()
      throws Exception {
    FlakyStore store = new FlakyStore();
    String queue = mq.queue();
    String name = mq.name("connection");
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.afterCreate(
        id -> {
          committed.countDown();
          awaitQuietly(release);
        });
    AtomicInteger handled = new AtomicInteger();
    RabbitMqSource source =
        source(
            store, queue, handled, b -> b.connectionName(name).retryPause(Duration.ofMillis(50)));

    mq.publish(queue, "m-1", SIGNUP);
    assertThat(committed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    RabbitMq.closeFromServer(name); // the session is stored, its ack not sent: the ack is lost
    release.countDown();

    Await.until("the redelivery was handled", WAIT, () -> handled.get() >= 2);
    assertThat(EventMesh.all(store)).hasSize(1);
    store.afterCreate(id -> {});
    mq.publish(queue, "m-2", SIGNUP); // the recovered connection goes on consuming
    Await.until("the second session", WAIT, () -> EventMesh.all(store).size() == 2);
    source.close();
    assertThat(mq.ready(queue)).isZero();
    assertThat(store.creations.get()).isEqualTo(2);
  }

  @Test
  void theSameMessageIdPublishedThreeTimesStartsOneSession() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    AtomicInteger handled = new AtomicInteger();
    RabbitMqSource source = source(store, queue, handled, b -> {});

    for (int i = 0; i < 3; i++) {
      mq.publish(queue, "m-1", SIGNUP);
    }
    mq.publish(queue, "m-2", SIGNUP);
    Await.until("four messages were handled", WAIT, () -> handled.get() == 4);
    source.close();

    assertThat(EventMesh.all(store)).hasSize(2);
    assertThat(mq.ready(queue)).isZero();
  }

  @Test
  void messagesThatCanNeverStartASessionAreDeadLetteredWithTheReason() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    String dlx = mq.name("dlx");
    String dead = mq.deadLetterQueue(dlx);
    RabbitMqSource source =
        RabbitMqSource.builder(
                RabbitMq.factory(),
                bus(store, EventFilter.any(), InputMapping.fields(Map.of("email", "/user/email"))))
            .queue(queue)
            .deadLetterExchange(dlx)
            .build();
    start(source);

    mq.publish(queue, "m-a", "not json {", Map.of("trace", "t-1"));
    mq.publish(queue, null, "{\"user\":{\"email\":\"bo@example.com\"}}");
    mq.publish(queue, "m-c", "{\"user\":{}}");
    mq.publish(queue, "m-d", "{\"user\":{\"email\":42}}");
    mq.publish(queue, "m-e", "{\"user\":{\"email\":\"cy@example.com\"}}");
    Await.until("four dead letters", WAIT, () -> mq.ready(dead) == 4);
    Await.until("one session", WAIT, () -> EventMesh.all(store).size() == 1);
    source.close();
    assertThat(mq.ready(queue)).isZero();

    Map<String, GetResponse> byReason = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      GetResponse letter = mq.get(dead);
      byReason.put(header(letter, RabbitMqConsumer.REASON), letter);
    }
    assertThat(byReason)
        .containsOnlyKeys("not-json", "no-message-id", "input-mapping", "input-schema");
    GetResponse notJson = byReason.get("not-json");
    assertThat(new String(notJson.getBody(), StandardCharsets.UTF_8)).isEqualTo("not json {");
    assertThat(notJson.getProps().getMessageId()).isEqualTo("m-a");
    assertThat(header(notJson, "trace")).isEqualTo("t-1"); // the original headers stay
    assertThat(header(notJson, RabbitMqConsumer.QUEUE)).isEqualTo(queue);
    assertThat(header(notJson, RabbitMqConsumer.ROUTING_KEY)).isEqualTo(queue);
    assertThat(header(notJson, RabbitMqConsumer.DETAIL))
        .isEqualTo(
            "The body of message 'm-a' of queue '"
                + queue
                + "' (10 bytes) is not JSON: it stops parsing at line 1, column 1. Fix: publish a"
                + " JSON document (UTF-8)");
    assertThat(header(byReason.get("input-schema"), RabbitMqConsumer.SUBSCRIPTION))
        .isEqualTo("enrich");
    assertThat(header(byReason.get("input-schema"), RabbitMqConsumer.DETAIL))
        .startsWith("Event 'm-d' maps to an input that agent 'enricher'")
        .doesNotContain("42");
    assertThat(header(byReason.get("no-message-id"), RabbitMqConsumer.DETAIL))
        .contains("missingMessageId(DERIVE_FROM_BODY)");
  }

  @Test
  void aDeadLetterNothingRoutesGoesBackToItsQueueUntilAQueueIsBound() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    String dlx = mq.name("dlx");
    mq.declareExchange(dlx); // nothing bound yet
    AtomicInteger handled = new AtomicInteger();
    RabbitMqSource source =
        RabbitMqSource.builder(RabbitMq.factory(), bus(store, counting(handled), whole()))
            .queue(queue)
            .deadLetterExchange(dlx)
            .retryPause(Duration.ofMillis(50))
            .build();
    start(source);

    mq.publish(queue, "m-1", "{\"email\":7}"); // the schema refuses it
    Await.until("it was tried twice", WAIT, () -> handled.get() >= 2);
    String dead = mq.queue();
    mq.onChannel(channel -> channel.queueBind(dead, dlx, "#"));

    Await.until("it was dead-lettered", WAIT, () -> mq.ready(dead) == 1);
    source.close();
    assertThat(mq.ready(queue)).isZero();
    assertThat(EventMesh.all(store)).isEmpty();
  }

  @Test
  void aMessageWithoutIdGetsTheHashOfItsBodyWhenSoConfigured() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    String dlx = mq.name("dlx");
    mq.deleteLater(dlx); // the source declares it
    AtomicInteger handled = new AtomicInteger();
    RabbitMqSource source =
        RabbitMqSource.builder(RabbitMq.factory(), bus(store, counting(handled), whole()))
            .queue(queue)
            .deadLetterExchange(dlx)
            .missingMessageId(RabbitMqSource.MissingMessageId.DERIVE_FROM_BODY)
            .build();
    start(source);
    assertThat(mq.exchangeExists(dlx)).isTrue();

    mq.publish(queue, null, SIGNUP);
    mq.publish(queue, null, SIGNUP); // the same body: the same event
    mq.publish(queue, null, "{\"email\":\"bo@example.com\"}");
    Await.until("three messages were handled", WAIT, () -> handled.get() == 3);
    source.close();

    List<SessionSummary> all = EventMesh.all(store);
    assertThat(all).hasSize(2);
    String expected =
        "sha256:" + WebhookCrypto.hex(Jitter.sha256(SIGNUP.getBytes(StandardCharsets.UTF_8)));
    try (Sessions sessions = EventMesh.sessions(store)) {
      assertThat(all)
          .extracting(s -> sessions.session(s.id()).state().origin())
          .contains(Origin.event("enrich", expected));
    }
  }

  @Test
  void aConsumerHoldsNoMoreUnackedMessagesThanItsPrefetch() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    EventFilter blocking =
        event -> {
          entered.countDown();
          awaitQuietly(release);
          return true;
        };
    RabbitMqSource source =
        RabbitMqSource.builder(RabbitMq.factory(), bus(store, blocking, whole()))
            .queue(queue)
            .deadLetterExchange(deadLetterExchange())
            .prefetch(3)
            .build();
    for (int i = 0; i < 10; i++) {
      mq.publish(queue, "m-" + i, SIGNUP);
    }
    start(source);
    assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Await.until("three messages were delivered to the source", WAIT, () -> mq.ready(queue) == 7);

    CountDownLatch other = new CountDownLatch(7);
    Channel channel = mq.channel();
    channel.basicConsume(
        queue,
        true,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            other.countDown();
          }
        });
    assertThat(other.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue(); // the seven it left
    assertThat(mq.ready(queue)).isZero();
    release.countDown();

    Await.until("the source's three are done", WAIT, () -> EventMesh.all(store).size() == 3);
    channel.close();
  }

  @Test
  void consumersOnTwoConnectionsStartExactlyOneSessionPerMessageId() throws Exception {
    long seed = Seeds.of(1).findFirst().orElseThrow();
    Seeds.print(getClass(), seed);
    Random random = new Random(seed);
    InMemorySessionStore store = InMemorySessionStore.create();
    String queue = mq.queue();
    String dlx = deadLetterExchange();
    AtomicInteger handled = new AtomicInteger();
    for (String node : List.of("a", "b")) {
      Sessions sessions =
          Sessions.builder(EventMesh.MESH).store(store).nodeId("node-" + node).build();
      closeLater.add(sessions);
      EventBus bus = busOn(sessions, counting(handled), whole());
      start(
          RabbitMqSource.builder(RabbitMq.factory(), bus)
              .queue(queue)
              .deadLetterExchange(dlx)
              .consumers(2)
              .prefetch(5)
              .connectionName(mq.name("node-" + node))
              .build());
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      for (int copy = 0; copy < 3; copy++) {
        ids.add("m-" + i);
      }
    }
    Collections.shuffle(ids, random);
    for (String id : ids) {
      mq.publish(queue, id, SIGNUP);
    }

    Await.until("every message was handled", WAIT, () -> handled.get() >= ids.size());
    closeSources();
    assertThat(mq.ready(queue)).isZero();
    List<SessionSummary> all = EventMesh.all(store);
    assertThat(all).hasSize(30);
  }

  @Test
  void aMissingQueueOrDeadLetterExchangeIsRefusedWithTheFix() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    EventBus bus = bus(store, EventFilter.any(), whole());
    String missing = mq.name("missing");
    RabbitMqSource source =
        RabbitMqSource.builder(RabbitMq.factory(), bus)
            .queue(missing)
            .deadLetterExchange(deadLetterExchange())
            .build();
    closeLater.add(source);

    assertThatThrownBy(source::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Queue '"
                + missing
                + "' does not exist on RabbitMQ at 127.0.0.1:5672 (vhost '/'). Declare it (durable)"
                + " before starting the source: the source never declares the queue it consumes,"
                + " whose arguments are yours");
    assertThatThrownBy(() -> RabbitMqSource.builder(RabbitMq.factory(), bus).queue("q").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(".deadLetterExchange(\"q.dead\")");
    assertThatThrownBy(() -> RabbitMqSource.builder(RabbitMq.factory(), bus).prefetch(0))
        .hasMessage(
            "prefetch must be between 1 and 65535 (a bound: RabbitMQ reads 0 as unbounded) but"
                + " was 0");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private RabbitMqSource source(
      SessionStore store, String queue, java.util.function.Consumer<RabbitMqSource.Builder> more)
      throws IOException {
    return source(store, queue, new AtomicInteger(), more);
  }

  private RabbitMqSource source(
      SessionStore store,
      String queue,
      AtomicInteger handled,
      java.util.function.Consumer<RabbitMqSource.Builder> more)
      throws IOException {
    RabbitMqSource.Builder builder =
        RabbitMqSource.builder(RabbitMq.factory(), bus(store, counting(handled), whole()))
            .queue(queue)
            .deadLetterExchange(deadLetterExchange())
            .retryPause(Duration.ofMillis(50));
    more.accept(builder);
    RabbitMqSource source = builder.build();
    start(source);
    return source;
  }

  private void start(RabbitMqSource source) throws IOException {
    closeLater.add(source);
    source.start();
  }

  private void closeSources() {
    for (AutoCloseable c : closeLater) {
      if (c instanceof RabbitMqSource source) {
        source.close();
      }
    }
  }

  private String deadLetterExchange() throws IOException {
    String dlx = mq.name("dlx");
    mq.deadLetterQueue(dlx);
    return dlx;
  }

  private EventBus bus(SessionStore store, EventFilter filter, InputMapping input) {
    Sessions sessions = EventMesh.sessions(store);
    closeLater.add(sessions);
    return busOn(sessions, filter, input);
  }

  private static EventBus busOn(Sessions sessions, EventFilter filter, InputMapping input) {
    return EventBus.builder(sessions)
        .subscribe(
            EventSubscription.builder("enrich")
                .topic("#")
                .filter(filter)
                .agent("enricher")
                .input(input)
                .build())
        .build();
  }

  private static InputMapping whole() {
    return InputMapping.whole();
  }

  /** Takes every event and counts it: a message handled up to its subscription's filter. */
  private static EventFilter counting(AtomicInteger handled) {
    return event -> {
      handled.incrementAndGet();
      return true;
    };
  }

  private static String header(GetResponse response, String name) {
    Object value = response.getProps().getHeaders().get(name);
    return value == null ? "(none)" : value.toString();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
