package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ModelException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Runs every failure class through both adapters, with retries (so retry log lines are written),
 * and scans the captured log output and every exception message for the key, the authorization
 * header and the prompt.
 */
class SecretsAreNeverLeakedTest {

  static final String KEY = "sk-proj-LEAKCANARY0123456789abcdefghij";
  static final String PROMPT = "PROMPT-CANARY my card number is 4111 1111 1111 1111";

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void noKeyOrPromptInLogsOrExceptionMessages() {
    // The provider echoes the key and the prompt back in its error message, as some proxies do.
    String echo = "{\"error\":{\"message\":\"bad key " + KEY + " for prompt\"}}";
    List<String> messages = new ArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (Kind kind : Kind.values()) {
        for (ChatModel model : List.of(openAi(), anthropic())) {
          boolean isOpenAi = model instanceof OpenAiChatModel;
          server.enqueue(
              isOpenAi ? ProviderWire.openAiFailure(kind) : ProviderWire.anthropicFailure(kind));
          if (kind.isRetryable() && kind != Kind.TIMEOUT) {
            server.enqueue(Fixtures.status(500, echo));
          }
          messages.addAll(failureMessages(model));
        }
      }
      server.enqueue(Fixtures.status(401, echo));
      messages.addAll(failureMessages(openAi()));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log).contains("retry 1 of 1");
    assertThat(messages).hasSizeGreaterThan(Kind.values().length * 2);
    for (String text : messages) {
      assertThat(text)
          .doesNotContain(KEY)
          .doesNotContain("Bearer sk-")
          .doesNotContain("PROMPT-CANARY");
    }
    assertThat(log)
        .doesNotContain(KEY)
        .doesNotContain("Bearer sk-")
        .doesNotContain("PROMPT-CANARY");
  }

  private List<String> failureMessages(ChatModel model) {
    List<String> out = new ArrayList<>();
    try {
      model.chat(
          ChatRequest.builder()
              .addMessage(ChatMessage.system("Secret system prompt PROMPT-CANARY"))
              .addMessage(ChatMessage.user(PROMPT))
              .build());
    } catch (ModelException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        out.add(String.valueOf(t.getMessage()));
        out.add(t.toString());
      }
    }
    out.add(model.name());
    out.add(model.toString());
    return out;
  }

  private RetryPolicy twoAttempts() {
    return RetryPolicy.builder().maxAttempts(2).sleeper(d -> {}).build();
  }

  private ChatModel openAi() {
    return OpenAiChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .model("gpt-4.1-mini")
        .retryPolicy(twoAttempts())
        .readTimeout(Duration.ofMillis(200))
        .build();
  }

  private ChatModel anthropic() {
    return AnthropicChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .model("claude-sonnet-4-5")
        .retryPolicy(twoAttempts())
        .readTimeout(Duration.ofMillis(200))
        .build();
  }
}
