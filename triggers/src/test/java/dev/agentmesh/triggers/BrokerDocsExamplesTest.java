package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.testsupport.Await;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java code of the event trigger sections of docs/triggers.md (fenced {@code ```java broker}),
 * compiled and run, the RabbitMQ one against the real server.
 */
class BrokerDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/triggers.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/triggers/BrokerDocsExamplesTest.java");

  private static RabbitMq mq;

  @BeforeAll
  static void connect() {
    mq = RabbitMq.connect(BrokerDocsExamplesTest.class);
  }

  @AfterAll
  static void deleteQueuesAndExchanges() throws Exception {
    mq.close();
  }

  @Test
  void everyBrokerBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java broker", SOURCE);
  }

  @Test
  void theBusExampleStartsOneSessionPerEvent() {
    try (Sessions sessions = EventMesh.sessions(InMemorySessionStore.create())) {
      Map<String, Object> signup =
          Map.of("user", Map.of("email", "ana@example.com"), "plan", "pro");
      // docs:begin bus
      EventBus bus =
          EventBus.builder(sessions)
              .subscribe(
                  EventSubscription.builder("signup-enrichment")
                      .topic("signups.*") // signups.eu, signups.us; "#" is every topic
                      .filter(EventFilter.field("/plan", "pro")) // a payload field, by JSON Pointer
                      .filter(EventFilter.hasHeader("test").negate()) // and a header
                      .agent("enricher")
                      .input(InputMapping.fields(Map.of("email", "/user/email")))
                      .build())
              .build();
      Event event = Event.of("signups.eu", "msg-81f3", signup).withHeader("source", "web");
      Published first = bus.publish(event); // the session is stored when this returns
      Published again = bus.publish(event); // same id: the same session, nothing new
      // again.sessions().get(0).created() == false
      // docs:end
      assertThat(first.sessions()).hasSize(1);
      assertThat(again.sessions().get(0).created()).isFalse();
      assertThat(again.sessions().get(0).sessionId())
          .isEqualTo(first.sessions().get(0).sessionId());
    }
  }

  @Test
  void theRabbitMqExampleConsumesAQueueAndDeadLettersARefusedMessage() throws Exception {
    String queue = mq.queue();
    String deadLetters = mq.name("dead");
    mq.deleteLater(deadLetters);
    String dead = mq.queue();
    try (Sessions sessions = EventMesh.sessions(InMemorySessionStore.create())) {
      EventBus bus =
          EventBus.builder(sessions)
              .subscribe(
                  EventSubscription.builder("signup-enrichment")
                      .topic("#")
                      .agent("enricher")
                      .build())
              .build();
      // docs:begin rabbitmq
      ConnectionFactory factory = new ConnectionFactory(); // automatic recovery is on by default
      factory.setHost("127.0.0.1");
      try (RabbitMqSource source =
          RabbitMqSource.builder(factory, bus)
              .queue(queue) // must exist: its arguments are yours
              .deadLetterExchange(deadLetters) // declared (durable, topic) when missing
              .prefetch(20) // unacked messages per consumer
              .consumers(2) // channels, each handling one message at a time
              .missingMessageId(RabbitMqSource.MissingMessageId.REJECT) // the default
              .retryPause(Duration.ofSeconds(1)) // before a failed message goes back
              .build()) {
        source.start();
        // ... until the host shuts down
      } // cancels the consumers, waits for the messages in hand, closes the connection
      // docs:end
      mq.onChannel(channel -> channel.queueBind(dead, deadLetters, "#"));
      RabbitMqSource source =
          RabbitMqSource.builder(RabbitMq.factory(), bus)
              .queue(queue)
              .deadLetterExchange(deadLetters)
              .build();
      source.start();
      mq.publish(queue, "m-1", "{\"email\":42}");
      Await.until("a dead letter", Duration.ofSeconds(20), () -> mq.ready(dead) == 1);
      source.close();
      GetResponse letter = mq.get(dead);
      assertThat(letter).isNotNull();
      // docs:begin dead-letter
      Map<String, Object> headers = letter.getProps().getHeaders();
      String reason = headers.get("x-agentmesh-reason").toString(); // "input-schema"
      String detail = headers.get("x-agentmesh-detail").toString(); // what was wrong, no values
      // docs:end
      assertThat(reason).isEqualTo("input-schema");
      assertThat(detail).startsWith("Event 'm-1' maps to an input that agent 'enricher'");
    }
  }
}
