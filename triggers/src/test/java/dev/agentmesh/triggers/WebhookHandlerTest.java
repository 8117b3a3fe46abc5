package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.WebhookServerFixture.NOW;
import static dev.agentmesh.triggers.WebhookServerFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The framework-neutral handler: its setup refusals, its order of checks, store failures. */
class WebhookHandlerTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private final FakeClock clock = FakeClock.at(NOW);
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final InMemorySessionStore memory = InMemorySessionStore.create();
  private final Sessions sessions =
      Sessions.builder(WebhookServerFixture.mesh(clock))
          .store(failing(memory, storeDown))
          .clock(clock)
          .build();
  private final WebhookVerifier verifier =
      WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS).secret(SECRET).clock(clock).build();
  private final WebhookTrigger std =
      WebhookTrigger.builder("std").agent("triage").verifier(verifier).maxBodyBytes(100).build();

  @AfterEach
  void close() {
    sessions.close();
  }

  /** A store whose appends fail while {@code down} is set. */
  private static SessionStore failing(SessionStore store, AtomicBoolean down) {
    return (SessionStore)
        Proxy.newProxyInstance(
            SessionStore.class.getClassLoader(),
            new Class<?>[] {SessionStore.class},
            (proxy, method, args) -> {
              if (down.get() && method.getName().equals("append")) {
                throw new SessionStoreException("connection refused (test)", null);
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private WebhookRequest signed(String id, String body) {
    WebhookRequest.Builder request =
        WebhookRequest.builder()
            .path("/webhooks/std")
            .header("Content-Type", "application/json")
            .body(bytes(body));
    verifier.sign(id, bytes(body)).forEach(request::header);
    return request.build();
  }

  private int sessionsStored() {
    return memory.query(SessionQuery.builder().build()).sessions().size();
  }

  @Test
  void aStoreFailureAnswers503AndTheSameDeliveryLaterStartsItsSession() {
    WebhookHandler handler = WebhookHandler.builder(sessions).trigger(std).build();
    WebhookRequest request = signed("msg_1", "{\"title\":\"t\"}");

    storeDown.set(true);
    WebhookResponse down = handler.handle(request);
    storeDown.set(false);
    WebhookResponse retried = handler.handle(request);

    assertThat(down.status()).isEqualTo(503);
    assertThat(down.headers()).containsEntry("Retry-After", "5");
    assertThat(down.body())
        .isEqualTo(
            "{\"error\":\"unavailable\",\"message\":\"The session could not be started now;"
                + " sending the delivery again is safe\"}")
        .doesNotContain("connection refused");
    assertThat(retried.status()).isEqualTo(202);
    assertThat(sessionsStored()).isEqualTo(1);
  }

  @Test
  void checksRunInOrderAndPrecheckNeedsNoBody() {
    WebhookHandler handler = WebhookHandler.builder(sessions).trigger(std).build();
    WebhookRequest head =
        WebhookRequest.builder()
            .method("PUT")
            .path("/webhooks/std")
            .header("Content-Type", "text/plain")
            .header("Content-Length", "5000")
            .build();

    assertThat(handler.precheck(head.withBody(new byte[0])).orElseThrow().status()).isEqualTo(405);
    assertThat(
            handler
                .precheck(WebhookRequest.builder().path("/webhooks/std").build())
                .orElseThrow()
                .body())
        .contains("no Content-Type");
    WebhookRequest declaredTooLong =
        WebhookRequest.builder()
            .path("/webhooks/std")
            .header("Content-Type", "application/json")
            .header("Content-Length", "101")
            .build();
    assertThat(handler.precheck(declaredTooLong).orElseThrow().status()).isEqualTo(413);
    assertThat(handler.bodyLimit("/webhooks/std")).isEqualTo(100);
    assertThat(handler.bodyLimit("/elsewhere")).isZero();
    WebhookRequest unsignedButLong =
        WebhookRequest.builder()
            .path("/webhooks/std")
            .header("Content-Type", "application/json")
            .body(new byte[101])
            .build();
    assertThat(handler.handle(unsignedButLong).status()).isEqualTo(413); // before the signature
    assertThat(sessionsStored()).isZero();
  }

  @Test
  void setupMistakesAreRefusedWhenTheHandlerIsBuilt() {
    WebhookTrigger ghost =
        WebhookTrigger.builder("ghost").agent("nobody").verifier(verifier).build();
    WebhookTrigger samePath =
        WebhookTrigger.builder("other")
            .path("/webhooks/std")
            .agent("triage")
            .verifier(verifier)
            .build();
    WebhookTrigger sameName =
        WebhookTrigger.builder("std").path("/elsewhere").agent("triage").verifier(verifier).build();

    assertThatThrownBy(() -> WebhookHandler.builder(sessions).trigger(ghost).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("webhook 'ghost' starts agent 'nobody': ")
        .hasMessageContaining("triage");
    assertThatThrownBy(
            () -> WebhookHandler.builder(sessions).trigger(std).trigger(samePath).build())
        .hasMessage(
            "webhooks 'std' and 'other' are both at path '/webhooks/std'; give each its own path");
    assertThatThrownBy(
            () -> WebhookHandler.builder(sessions).trigger(std).trigger(sameName).build())
        .hasMessageStartingWith("two webhooks are named 'std'");
    assertThatThrownBy(() -> WebhookHandler.builder(sessions).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no webhook to serve: call trigger(...) at least once");
  }

  @Test
  void aTriggersSettingsAreCheckedWhenSet() {
    assertThatThrownBy(() -> WebhookTrigger.builder("bad name"))
        .hasMessageStartingWith("a webhook's name is 1 to 100 letters");
    assertThatThrownBy(() -> WebhookTrigger.builder("x").path("/a/../b"))
        .hasMessageContaining("but was '/a/../b'");
    assertThatThrownBy(() -> WebhookTrigger.builder("x").path("hooks"))
        .hasMessageContaining("such as '/webhooks/x'");
    assertThatThrownBy(() -> WebhookTrigger.builder("x").maxBodyBytes(0))
        .hasMessage("webhook 'x': maxBodyBytes must be from 1 to 67108864 but was 0");
    assertThatThrownBy(() -> WebhookTrigger.builder("x").verifier(verifier).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("webhook 'x' has no agent");
    assertThatThrownBy(() -> WebhookTrigger.builder("x").agent("triage").build())
        .hasMessageContaining("unsigned webhooks are not served");
    WebhookTrigger defaults =
        WebhookTrigger.builder("zendesk").agent("triage").verifier(verifier).build();
    assertThat(defaults.path()).isEqualTo("/webhooks/zendesk");
    assertThat(defaults.maxBodyBytes()).isEqualTo(WebhookTrigger.DEFAULT_MAX_BODY_BYTES);
    assertThat(defaults.input()).isEqualTo(InputMapping.whole());
    assertThat(defaults.toString()).doesNotContain(SECRET.substring(6));
  }

  static Stream<Long> seeds() {
    return Seeds.of(20);
  }

  /**
   * Random mixes of good, tampered, expired, oversized and repeated deliveries: each good delivery
   * id starts exactly one session (202 the first time, then 200 with that session), nothing else
   * starts any.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void onlyGoodDeliveriesStartSessionsAndEachOnce(long seed) {
    Random random = new Random(seed);
    WebhookHandler handler = WebhookHandler.builder(sessions).trigger(std).build();
    Map<String, String> sessionOf = new HashMap<>();
    List<String> log = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "msg_" + random.nextInt(8);
      int kind = random.nextInt(6);
      WebhookRequest request = request(kind, id, random);
      log.add(kind + ":" + id);
      WebhookResponse response = handler.handle(request);
      if (kind <= 1) { // good
        String first = sessionOf.get(id);
        assertThat(response.status()).as("%s", log).isEqualTo(first == null ? 202 : 200);
        String session =
            WebhookServerFixture.JSON.readTree(response.body()).path("session").asString();
        if (first == null) {
          sessionOf.put(id, session);
        } else {
          assertThat(session).isEqualTo(first);
        }
      } else {
        assertThat(response.status()).as("%s", log).isBetween(400, 499);
      }
      clock.advance(Duration.ofSeconds(random.nextInt(20)));
    }
    Seeds.print(getClass(), seed, log);
    assertThat(sessionsStored()).isEqualTo(sessionOf.size());
  }

  /** 0-1 good, 2 tampered, 3 expired, 4 too long, 5 schema-invalid. */
  private WebhookRequest request(int kind, String id, Random random) {
    String body = "{\"title\":\"t" + random.nextInt(3) + "\"}";
    switch (kind) {
      case 2:
        WebhookRequest good = signed(id, body);
        return WebhookRequest.of(
            "POST", good.path(), headersOf(good), bytes(body.replace('t', 'T')));
      case 3:
        clock.advance(Duration.ofMinutes(-6));
        WebhookRequest old = signed(id, body);
        clock.advance(Duration.ofMinutes(6));
        return old;
      case 4:
        return signed(id, "{\"title\":\"" + "x".repeat(100) + "\"}");
      case 5:
        return signed(id, "{\"title\":7}");
      default:
        return signed(id, body);
    }
  }

  private static Map<String, List<String>> headersOf(WebhookRequest request) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name :
        List.of("content-type", "webhook-id", "webhook-timestamp", "webhook-signature")) {
      headers.put(name, request.headers(name));
    }
    return headers;
  }
}
