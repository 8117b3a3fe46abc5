package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.testing.ChatModelCompatibilityKit;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import tools.jackson.databind.JsonNode;

/** {@link OpenAiChatModel} passes the ChatModel conformance kit against MockWebServer. */
class OpenAiChatModelCompatibilityTest extends ChatModelCompatibilityKit {

  static final String KEY = "sk-test-kit-0123456789abcdefSECRET";

  @StartStop final MockWebServer server = new MockWebServer();

  private OpenAiChatModel model() {
    return OpenAiChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .model("gpt-4.1-mini")
        .retryPolicy(RetryPolicy.none())
        .readTimeout(Duration.ofMillis(300))
        .build();
  }

  @Override
  protected ChatModel modelAnswering(ChatResponse... answers) {
    for (ChatResponse answer : answers) {
      server.enqueue(Fixtures.ok(ProviderWire.openAi(answer)));
    }
    return model();
  }

  @Override
  protected ChatModel modelFailingWith(ModelException.Kind kind) {
    server.enqueue(ProviderWire.openAiFailure(kind));
    return model();
  }

  @Override
  protected String secret() {
    return KEY;
  }

  @Override
  protected void assertLastRequestCarried(List<ChatMessage> toolResults) {
    try {
      server.takeRequest();
      RecordedRequest last = server.takeRequest();
      JsonNode messages = Fixtures.body(last).path("messages");
      JsonNode tail1 = messages.get(messages.size() - 2);
      JsonNode tail2 = messages.get(messages.size() - 1);
      assertThat(tail1.path("role").asString()).isEqualTo("tool");
      assertThat(tail1.path("tool_call_id").asString()).isEqualTo(toolResults.get(0).toolCallId());
      assertThat(tail1.path("content").asString()).isEqualTo(toolResults.get(0).text());
      assertThat(tail2.path("tool_call_id").asString()).isEqualTo(toolResults.get(1).toolCallId());
      assertThat(messages.get(messages.size() - 3).path("tool_calls")).hasSize(2);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
