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
import mockwebserver3.junit5.StartStop;
import tools.jackson.databind.JsonNode;

/** {@link AnthropicChatModel} passes the ChatModel conformance kit against MockWebServer. */
class AnthropicChatModelCompatibilityTest extends ChatModelCompatibilityKit {

  static final String KEY = "sk-ant-test-kit-0123456789abcdefSECRET";

  @StartStop final MockWebServer server = new MockWebServer();

  private AnthropicChatModel model() {
    return AnthropicChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .model("claude-sonnet-4-5")
        .retryPolicy(RetryPolicy.none())
        .readTimeout(Duration.ofMillis(300))
        .build();
  }

  @Override
  protected ChatModel modelAnswering(ChatResponse... answers) {
    for (ChatResponse answer : answers) {
      server.enqueue(Fixtures.ok(ProviderWire.anthropic(answer)));
    }
    return model();
  }

  @Override
  protected ChatModel modelFailingWith(ModelException.Kind kind) {
    server.enqueue(ProviderWire.anthropicFailure(kind));
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
      JsonNode messages = Fixtures.body(server.takeRequest()).path("messages");
      JsonNode results = messages.get(messages.size() - 1);
      assertThat(results.path("role").asString()).isEqualTo("user");
      assertThat(results.path("content")).hasSize(2);
      for (int i = 0; i < 2; i++) {
        JsonNode block = results.path("content").get(i);
        assertThat(block.path("type").asString()).isEqualTo("tool_result");
        assertThat(block.path("tool_use_id").asString()).isEqualTo(toolResults.get(i).toolCallId());
        assertThat(block.path("content").asString()).isEqualTo(toolResults.get(i).text());
      }
      assertThat(messages.get(messages.size() - 2).path("content")).hasSize(2);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
