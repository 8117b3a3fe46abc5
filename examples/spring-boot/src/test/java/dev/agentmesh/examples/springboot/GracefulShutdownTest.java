package dev.agentmesh.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.mock.env.MockEnvironment;

/**
 * Shutting the application down while a turn runs: the turn finishes the step it is in and is
 * stored, the lease is released, and the next start continues the session from its log.
 */
class GracefulShutdownTest {

  static final Duration WAIT = Duration.ofSeconds(90);

  /** The scripted model, counting its calls; the first one can be held until released. */
  static final class HeldModel implements ChatModel {
    final ChatModel scripted = SupportModel.from(new MockEnvironment());
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;

    HeldModel(boolean hold) {
      this.release = new CountDownLatch(hold ? 1 : 0);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the model");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return scripted.chat(request);
    }

    @Override
    public String name() {
      return "held-scripted";
    }
  }

  /** Stops just before the mesh (phase 1): says the shutdown reached the mesh's drain. */
  static final class Stopping implements SmartLifecycle {
    final CountDownLatch stopping = new CountDownLatch(1);
    volatile boolean running;

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      stopping.countDown();
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return 1;
    }
  }

  static ConfigurableApplicationContext start(String url, ChatModel model, Stopping stopping) {
    return new SpringApplicationBuilder(SupportHostApplication.class)
        .initializers(
            context -> {
              context.getBeanFactory().registerSingleton("chatModel", model);
              context.getBeanFactory().registerSingleton("stopping", stopping);
            })
        .run("--spring.datasource.url=" + url, "--server.port=0");
  }

  @Test
  void aTurnRunningAtShutdownFinishesItsStepAndTheNextStartContinuesItWithoutCallingTheModelAgain()
      throws Exception {
    PostgresTestDatabase pg = PostgresTestDatabase.get();
    String url = pg.newDatabase("agentmesh_shutdown");
    try {
      HeldModel held = new HeldModel(true);
      Stopping stopping = new Stopping();
      ConfigurableApplicationContext first = start(url, held, stopping);
      int port = first.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      HostHttp.Answer accepted =
          new HostHttp(port).deliver(HostHttp.ticket("initech", "Dashboard error"));
      assertThat(accepted.status()).isEqualTo(202);
      String session = accepted.json().path("session").asString();
      assertThat(held.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
      assertThat(stopping.stopping.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      held.release.countDown(); // the model answers while the mesh drains
      closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(held.calls).hasValue(1);

      HeldModel next = new HeldModel(false);
      try (ConfigurableApplicationContext second = start(url, next, new Stopping())) {
        Sessions sessions = second.getBean(Sessions.class);
        assertThat(sessions.session(session).awaitIdle(WAIT).status())
            .isEqualTo(SessionStatus.WAITING);
        assertThat(second.getBean(Reviews.class).pending(session)).hasSize(1);
        assertThat(next.calls).hasValue(0);
      }
    } finally {
      pg.dropDatabase(url);
    }
  }
}
