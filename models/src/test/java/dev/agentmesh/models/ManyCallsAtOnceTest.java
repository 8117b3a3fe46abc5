package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.models.internal.HttpCaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Many calls in flight at once through one adapter: past {@link HttpCaller#CALLS_PER_LANE} the
 * further calls get connection pools of their own, so that OkHttp's search of a pool stays bounded,
 * and every call still gets its answer.
 */
class ManyCallsAtOnceTest {

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void callsBeyondOneLaneGoThroughAPoolAndADispatcherOfTheirOwnAndAllAreAnswered()
      throws Exception {
    int calls = HttpCaller.CALLS_PER_LANE + 44;
    CountDownLatch allArrived = new CountDownLatch(calls);
    AtomicInteger hostPoolAtPeak = new AtomicInteger(-1);
    AtomicInteger hostDispatcherAtPeak = new AtomicInteger(-1);
    OkHttpClient host = new OkHttpClient();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            allArrived.countDown();
            // Hold every answer until all calls are in flight at once.
            if (!allArrived.await(1, TimeUnit.MINUTES)) return Fixtures.status(500, "{}");
            hostPoolAtPeak.compareAndSet(-1, host.connectionPool().connectionCount());
            hostDispatcherAtPeak.compareAndSet(-1, host.dispatcher().runningCallsCount());
            return Fixtures.okFixture("openai/chat-completion-text.json");
          }
        });
    OpenAiChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(server.url("/v1").toString())
            .apiKey("sk-test")
            .model("gpt-4.1-mini")
            .httpClient(host)
            .retryPolicy(RetryPolicy.none())
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<Future<ChatResponse>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        ChatRequest request =
            ChatRequest.builder().addMessage(ChatMessage.user("question " + i)).build();
        answers.add(pool.submit(() -> model.chat(request)));
      }
      for (Future<ChatResponse> answer : answers) {
        assertThat(answer.get(1, TimeUnit.MINUTES).text()).isNotBlank();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.getRequestCount()).isEqualTo(calls);
    assertThat(hostPoolAtPeak.get())
        .as("the host's pool held only the first lane's connections when all were in flight")
        .isBetween(1, HttpCaller.CALLS_PER_LANE);
    assertThat(hostDispatcherAtPeak.get())
        .as("the host's dispatcher tracked only the first lane's calls when all were in flight")
        .isBetween(1, HttpCaller.CALLS_PER_LANE);
  }

  @Test
  void theLaneOfACallGrowsWithTheCallsInFlightAndStopsAtTheLast() {
    assertThat(HttpCaller.laneOf(1)).isZero();
    assertThat(HttpCaller.laneOf(HttpCaller.CALLS_PER_LANE)).isZero();
    assertThat(HttpCaller.laneOf(HttpCaller.CALLS_PER_LANE + 1)).isEqualTo(1);
    assertThat(HttpCaller.laneOf(Integer.MAX_VALUE)).isEqualTo(HttpCaller.MAX_LANES - 1);
  }
}
