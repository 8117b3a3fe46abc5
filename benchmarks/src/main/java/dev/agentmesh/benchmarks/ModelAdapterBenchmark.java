package dev.agentmesh.benchmarks;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.ToolDefinition;
import dev.agentmesh.models.internal.AnthropicCodec;
import dev.agentmesh.models.internal.Json;
import dev.agentmesh.models.internal.OpenAiCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * The model adapters' own cost per call, without network: map a realistic {@link ChatRequest} to
 * the provider's request bytes and parse a realistic canned response into a ChatResponse. The
 * {@code *JacksonFloor} benchmarks push the same bytes through Jackson alone (write the finished
 * request tree, read the response tree), the floor any adapter on Jackson pays.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ModelAdapterBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModelAdapterBenchmark {

  private ChatRequest request;
  private OpenAiCodec.Options openAiOptions;
  private AnthropicCodec.Options anthropicOptions;
  private JsonNode openAiRequestTree;
  private JsonNode anthropicRequestTree;
  private byte[] openAiResponse;
  private byte[] anthropicResponse;

  @Setup
  public void setUp() {
    JsonNode params =
        Json.MAPPER.readTree(
            "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\","
                + "\"description\":\"The customer's account id\"},\"since\":{\"type\":\"string\",\"format\":\"date\"}},"
                + "\"required\":[\"customer\"],\"additionalProperties\":false}");
    List<ToolDefinition> tools = new ArrayList<>();
    for (String name : List.of("lookupTier", "openTickets", "recentInvoices", "contractTerms")) {
      tools.add(
          ToolDefinition.of(
              name,
              "Looks up " + name + " for a customer in the CRM and billing systems.",
              params));
    }
    ToolCall call =
        ToolCall.of("call_abc123", "lookupTier", Json.MAPPER.readTree("{\"customer\":\"acme\"}"));
    request =
        ChatRequest.builder()
            .addMessage(
                ChatMessage.system(
                    "You triage support tickets for a B2B SaaS company. ".repeat(30)))
            .addMessage(
                ChatMessage.user(
                    "ACME Corp writes: our March invoice charges 140 seats but our contract "
                        + "caps us at 120. Please fix it before the quarter closes. ".repeat(4)))
            .addMessage(ChatMessage.assistant(null, List.of(call)))
            .addMessage(
                ChatMessage.toolResult(
                    "call_abc123",
                    "lookupTier",
                    "{\"tier\":\"gold\",\"seats\":120,\"renewal\":\"2026-09-01\",\"csm\":\"maria\"}",
                    false))
            .tools(tools)
            .outputSchema(
                Json.MAPPER.readTree(
                    "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\","
                        + "\"enum\":[\"low\",\"normal\",\"high\"]},\"queue\":{\"type\":\"string\"},\"summary\":{\"type\":\"string\"},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"priority\",\"queue\","
                        + "\"summary\",\"tags\"],\"additionalProperties\":false}"))
            .outputName("triage")
            .reasoning(ReasoningLevel.LOW)
            .maxTokens(1024)
            .build();
    openAiOptions =
        new OpenAiCodec.Options(
            "gpt-4.1-mini", OpenAiCodec.SchemaMode.JSON_SCHEMA, true, true, false);
    anthropicOptions =
        new AnthropicCodec.Options(
            "claude-sonnet-4-5",
            4096,
            Map.of(
                ReasoningLevel.LOW, 1024, ReasoningLevel.MEDIUM, 4096, ReasoningLevel.HIGH, 16384),
            AnthropicCodec.SchemaMode.TOOL);
    openAiRequestTree = OpenAiCodec.toJson(request, openAiOptions);
    anthropicRequestTree = AnthropicCodec.toJson(request, anthropicOptions, id -> List.of());
    openAiResponse = openAiResponse().getBytes(StandardCharsets.UTF_8);
    anthropicResponse = anthropicResponse().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public void openAiAdapter(Blackhole bh) {
    bh.consume(OpenAiCodec.encode(request, openAiOptions));
    bh.consume(OpenAiCodec.decode(openAiResponse, "openai:gpt-4.1-mini"));
  }

  @Benchmark
  public void openAiJacksonFloor(Blackhole bh) {
    bh.consume(Json.MAPPER.writeValueAsBytes(openAiRequestTree));
    bh.consume(Json.MAPPER.readTree(openAiResponse));
  }

  @Benchmark
  public void anthropicAdapter(Blackhole bh) {
    bh.consume(AnthropicCodec.encode(request, anthropicOptions, id -> List.of()));
    bh.consume(AnthropicCodec.decode(anthropicResponse, "anthropic:claude-sonnet-4-5", "triage"));
  }

  @Benchmark
  public void anthropicJacksonFloor(Blackhole bh) {
    bh.consume(Json.MAPPER.writeValueAsBytes(anthropicRequestTree));
    bh.consume(Json.MAPPER.readTree(anthropicResponse));
  }

  private static String summary() {
    return "ACME is billed for 140 seats while the contract caps them at 120; gold tier, renewal in September. "
        .repeat(3);
  }

  private static String openAiResponse() {
    return "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1741569952,"
        + "\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"{\\\"priority\\\":\\\"high\\\",\\\"queue\\\":\\\"billing\\\",\\\"summary\\\":\\\""
        + summary()
        + "\\\",\\\"tags\\\":[\\\"invoice\\\",\\\"seats\\\",\\\"contract\\\"]}\",\"refusal\":null,\"annotations\":[]},"
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1250,\"completion_tokens\":310,"
        + "\"total_tokens\":1560,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":192,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_6f2eabb9a5\"}";
  }

  private static String anthropicResponse() {
    return "{\"id\":\"msg_01OutputTool\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Recording the triage.\"},{\"type\":\"tool_use\",\"id\":\"toolu_01Output\","
        + "\"name\":\"triage\",\"input\":{\"priority\":\"high\",\"queue\":\"billing\",\"summary\":\""
        + summary()
        + "\",\"tags\":[\"invoice\",\"seats\",\"contract\"]}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":210,\"cache_creation_input_tokens\":40,\"cache_read_input_tokens\":1000,\"output_tokens\":95}}";
  }
}
