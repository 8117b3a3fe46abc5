package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.testing.ChatModelCompatibilityKit;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The code shown in docs/models.md, compiled and run. Keep the two in step. */
class DocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/models.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/models/DocsExamplesTest.java");

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void configuringOpenAi() {
    String apiKey = "sk-docs-example-key";
    // docs:begin openai
    ChatModel model =
        OpenAiChatModel.builder()
            .apiKey(apiKey)
            .model("gpt-4.1-mini")
            .organization("org-123") // optional: OpenAI-Organization
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(60))
            .callTimeout(Duration.ofSeconds(90))
            .build();
    // docs:end
    assertThat(model.name()).isEqualTo("openai:gpt-4.1-mini");
  }

  @Test
  void configuringOllama() {
    // docs:begin ollama
    ChatModel ollama =
        OpenAiChatModel.builder()
            .baseUrl(
                "http://localhost:11434/v1") // Ollama's OpenAI-compatible endpoint; no key needed
            .model("qwen3:8b")
            .name("local-qwen")
            .build();
    // docs:end
    assertThat(ollama.name()).isEqualTo("local-qwen");
  }

  @Test
  void configuringAnthropic() {
    OkHttpClient sharedClient = new OkHttpClient();
    // docs:begin anthropic
    ChatModel claude =
        AnthropicChatModel.builder()
            .apiKeySupplier(() -> System.getenv("ANTHROPIC_API_KEY")) // asked on every attempt
            .model("claude-sonnet-4-5")
            .maxTokens(4096)
            .thinkingBudget(ReasoningLevel.HIGH, 32_000)
            .httpClient(sharedClient) // share the host's pool
            .build();
    // docs:end
    assertThat(claude.name()).isEqualTo("anthropic:claude-sonnet-4-5");
  }

  @Test
  void retriesAndCosts() {
    server.enqueue(Fixtures.status(503, "{}"));
    server.enqueue(Fixtures.okFixture("openai/chat-completion-text.json"));
    String baseUrl = server.url("/v1").toString();
    String key = "sk-docs-example-key";
    // docs:begin retries
    RetryPolicy retries =
        RetryPolicy.builder()
            .maxAttempts(4) // attempts in all
            .initialBackoff(Duration.ofMillis(500)) // cap before the first retry; doubles each time
            .maxBackoff(Duration.ofSeconds(20))
            .deadline(Duration.ofMinutes(2)) // no retry starts after this
            .build();
    PriceTable prices =
        PriceTable.builder()
            .price(
                "gpt-4.1-mini", PriceTable.Price.perMillion("0.40", "1.60").withCachedInput("0.10"))
            .build();
    ChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(baseUrl)
            .apiKey(key)
            .model("gpt-4.1-mini")
            .retryPolicy(retries)
            .priceTable(prices)
            .build();
    // docs:end
    ChatModel fast =
        OpenAiChatModel.builder()
            .baseUrl(baseUrl)
            .apiKey(key)
            .model("gpt-4.1-mini")
            .retryPolicy(retries.toBuilder().sleeper(d -> {}).build())
            .priceTable(prices)
            .build();
    ChatRequest request =
        ChatRequest.builder().addMessage(ChatMessage.user("Invoice wrong")).build();
    // docs:begin cost
    Usage usage = fast.chat(request).usage();
    System.out.println(
        usage.inputTokens()
            + " in, "
            + usage.cachedInputTokens()
            + " cached, "
            + usage.outputTokens()
            + " out, $"
            + usage.cost());
    // docs:end
    assertThat(usage.cost()).isNotNull();
    assertThat(model.name()).isEqualTo("openai:gpt-4.1-mini");
  }

  @Test
  void limitingConcurrentCallsPerAlias() {
    List<AgentSpec> specs =
        List.of(AgentSpec.builder("writer").instructions("Write the summary.").build());
    ChatModel openAi =
        OpenAiChatModel.builder()
            .baseUrl(server.url("/v1").toString())
            .apiKey("sk-docs-example-key")
            .model("gpt-4.1-mini")
            .build();
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Done.\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}")
            .build());
    List<AgentEvent> events = new ArrayList<>();
    // docs:begin concurrency
    Mesh mesh =
        Mesh.builder()
            .agents(specs)
            .model("default", openAi)
            .modelConcurrency("default", 64) // at most 64 calls at once; the rest queue in order
            .build();
    // docs:end
    try (mesh) {
      AgentResult result =
          mesh.agent("writer").call(AgentRequest.builder("hi").listener(events::add).build());
      assertThat(result.output().asString()).isEqualTo("Done.");
    }
    assertThat(events)
        .filteredOn(e -> e instanceof AgentEvent.ModelCalled)
        .singleElement()
        .satisfies(e -> assertThat(((AgentEvent.ModelCalled) e).waited().isNegative()).isFalse());
  }

  @Test
  void handlingFailures() {
    server.enqueue(Fixtures.status(401, Fixtures.text("openai/error-401.json")));
    ChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(server.url("/v1").toString())
            .apiKey("sk-wrong-key-1234")
            .model("gpt-4.1-mini")
            .build();
    ChatRequest request =
        ChatRequest.builder().addMessage(ChatMessage.user("Invoice wrong")).build();
    String outcome;
    // docs:begin failures
    try {
      model.chat(request);
      outcome = "ok";
    } catch (ModelException e) {
      // kind() says what happened, isRetryable() whether trying later may help
      outcome = e.kind() + (e.isRetryable() ? " (retryable)" : "") + ": " + e.getMessage();
    }
    // docs:end
    assertThat(outcome).startsWith("AUTHENTICATION: OpenAI-compatible server answered HTTP 401");
  }

  // docs:begin own-model
  /** A model that answers from a fixed list, for demos: your own ChatModel is one method. */
  static final class CannedModel implements ChatModel {
    private final Deque<String> answers;

    CannedModel(List<String> answers) {
      this.answers = new ArrayDeque<>(answers);
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
      String next = answers.poll();
      if (next == null) {
        throw new ModelException(
            ModelException.Kind.EMPTY_RESPONSE, name(), "CannedModel has no answers left");
      }
      return ChatResponse.builder()
          .text(next)
          .usage(Usage.of(request.messages().size(), 1))
          .build();
    }

    @Override
    public String name() {
      return "canned";
    }
  }

  // docs:end

  // docs:begin own-model-kit
  @Nested
  class CannedModelConformsToTheKit extends ChatModelCompatibilityKit {
    @Override
    protected ChatModel modelAnswering(ChatResponse... answers) {
      Deque<ChatResponse> queue = new ArrayDeque<>(List.of(answers));
      return request -> queue.remove();
    }

    @Override
    protected ChatModel modelFailingWith(ModelException.Kind kind) {
      return new ChatModel() {
        @Override
        public ChatResponse chat(ChatRequest request) {
          throw new ModelException(kind, name(), "failing on purpose: " + kind);
        }

        @Override
        public String name() {
          return "failing";
        }
      };
    }
  }

  // docs:end

  @Test
  void cannedModelAnswersInOrder() {
    ChatModel model = new CannedModel(List.of("one", "two"));
    ChatRequest request = ChatRequest.builder().addMessage(ChatMessage.user("hi")).build();
    assertThat(model.chat(request).text()).isEqualTo("one");
    assertThat(model.chat(request).text()).isEqualTo("two");
  }

  @Test
  void everyJavaBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java", SOURCE);
  }
}
