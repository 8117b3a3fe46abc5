package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a RabbitMQ message becomes an event; no server needed. */
class RabbitMqMessagesTest {

  private final Sessions sessions = EventMesh.sessions(InMemorySessionStore.create());
  private final EventBus bus =
      EventBus.builder(sessions)
          .subscribe(EventSubscription.builder("s").topic("#").agent("notifier").build())
          .build();

  @AfterEach
  void close() {
    sessions.close();
  }

  @Test
  void idTopicHeadersAndPayloadComeFromTheMessage() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("source", LongStringHelper.asLongString("web"));
    headers.put("attempt", 3);
    headers.put("test", true);
    headers.put("nested", Map.of("a", 1)); // not text: left out
    Event event = event(source(), "orders.eu", props("m-1", headers), "{\"a\":1}");

    assertThat(event.id()).isEqualTo("m-1");
    assertThat(event.topic()).isEqualTo("orders.eu");
    assertThat(event.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("source", "web", "attempt", "3", "test", "true"));
    assertThat(event.payload().get("a").asInt()).isEqualTo(1);
  }

  @Test
  void aBlankRoutingKeyReadsAsTheQueueAndAFixedTopicWins() {
    assertThat(event(source(), "", props("m-1", null), "{}").topic()).isEqualTo("signups");
    RabbitMqSource fixed = builder().topic("signups.all").build();
    assertThat(event(fixed, "x.y", props("m-1", null), "{}").topic()).isEqualTo("signups.all");
  }

  @Test
  void aDerivedIdIsTheSha256OfTheBodyBytes() {
    RabbitMqSource derive =
        builder().missingMessageId(RabbitMqSource.MissingMessageId.DERIVE_FROM_BODY).build();
    Event event = event(derive, "k", props(null, null), "{\"a\":1}");
    // echo -n '{"a":1}' | sha256sum
    assertThat(event.id())
        .isEqualTo("sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    assertThat(event(derive, "k", props(" ", null), "{\"a\":1}").id()).isEqualTo(event.id());
  }

  @Test
  void withoutAnIdUnderRejectOrWithABodyThatIsNotOneJsonDocumentItIsRejected() {
    assertThatThrownBy(() -> event(source(), "k", props(null, null), "{}"))
        .isInstanceOfSatisfying(
            EventRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(EventRejectedException.Reason.NO_MESSAGE_ID));
    for (String body : new String[] {"", "{\"a\":", "{} {}", "secret-token-value"}) {
      assertThatThrownBy(() -> event(source(), "k", props("m-1", null), body))
          .as(body)
          .isInstanceOfSatisfying(
              EventRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(EventRejectedException.Reason.NOT_JSON))
          .hasMessageNotContaining("secret");
    }
  }

  private static Event event(
      RabbitMqSource source, String routingKey, AMQP.BasicProperties props, String body) {
    return RabbitMqMessages.event(
        source,
        new Envelope(1, false, "", routingKey),
        props,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static AMQP.BasicProperties props(
      @Nullable String id, @Nullable Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().messageId(id).headers(headers).build();
  }

  private RabbitMqSource source() {
    return builder().build();
  }

  private RabbitMqSource.Builder builder() {
    return RabbitMqSource.builder(new ConnectionFactory(), bus)
        .queue("signups")
        .deadLetterExchange("signups.dead");
  }
}
