package dev.agentmesh.benchmarks;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.Tool;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * One stateless agent call with one tool call, on an in-process model that asks for the tool and
 * then answers: the library's own overhead per call, since the model costs nothing here.
 *
 * <ul>
 *   <li>{@code floor}: the same work without any library: a loop that builds the messages, asks an
 *       equally trivial stub model, reads the tool's arguments from the JSON text the model gave
 *       with Jackson, calls the tool method, writes its result as JSON into the next messages, and
 *       asks the model again.
 *   <li>{@code agentmesh}: {@code mesh.agent("triage").call(input)}, with a model that declares
 *       {@code honoursTimeout()} (as the real adapters do), so it is called on the run's thread.
 *   <li>{@code agentmeshHandOff}: the same with a plain lambda model, which the loop calls on the
 *       mesh executor so that {@code limits.timeout} bounds it even if it ignores interrupts: the
 *       difference is the cost of that hand-off, twice per call.
 *   <li>{@code langchain4j}: LangChain4j 1.19 {@code AiServices} with an equivalent stub model and
 *       {@code @Tool} method.
 * </ul>
 *
 * <p>Every stub model hands over the tool's arguments as JSON text, as a provider does: the
 * agentmesh stub parses them into the {@code ToolCall} (as the real adapters do), LangChain4j
 * parses them itself, the floor parses them in its loop.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AgentCallBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AgentCallBenchmark {

  static final String INSTRUCTIONS =
      "You triage support tickets. Look up the customer's tier with lookupTier.";
  static final String INPUT = "Invoice wrong for acme, please fix";
  static final String ANSWER = "priority high, team billing";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The tool call's arguments, as the model writes them. */
  static final String ARGUMENTS = "{\"customer\":\"acme\"}";

  /** The tool, the same for the three. */
  public static final class Crm {
    @Tool(value = "Looks up a customer's support tier", idempotent = true)
    @dev.langchain4j.agent.tool.Tool("Looks up a customer's support tier")
    public String lookupTier(String customer) {
      return customer.equals("acme") ? "gold" : "basic";
    }
  }

  /** The in-process langchain4j-facing assistant. */
  public interface Assistant {
    String chat(String message);
  }

  private Mesh mesh;
  private Mesh handOffMesh;
  private Assistant assistant;
  private final Crm crm = new Crm();

  @Setup(Level.Trial)
  public void setUp() {
    ChatModel lambda =
        request -> {
          ChatMessage last = request.messages().get(request.messages().size() - 1);
          return last.role() == ChatMessage.Role.TOOL
              ? ChatResponse.ofText(ANSWER)
              : ChatResponse.ofToolCalls(
                  ToolCall.of("call_1", "lookupTier", JSON.readTree(ARGUMENTS)));
        };
    ChatModel model =
        new ChatModel() {
          @Override
          public ChatResponse chat(dev.agentmesh.core.spi.ChatRequest request) {
            return lambda.chat(request);
          }

          @Override
          public boolean honoursTimeout() {
            return true; // it answers at once
          }
        };
    mesh = meshWith(model);
    handOffMesh = meshWith(lambda);

    dev.langchain4j.model.chat.ChatModel stub =
        new dev.langchain4j.model.chat.ChatModel() {
          @Override
          public dev.langchain4j.model.chat.response.ChatResponse doChat(
              dev.langchain4j.model.chat.request.ChatRequest request) {
            List<dev.langchain4j.data.message.ChatMessage> messages = request.messages();
            AiMessage answer =
                messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage
                    ? AiMessage.from(ANSWER)
                    : AiMessage.from(
                        ToolExecutionRequest.builder()
                            .id("call_1")
                            .name("lookupTier")
                            .arguments(ARGUMENTS)
                            .build());
            return dev.langchain4j.model.chat.response.ChatResponse.builder()
                .aiMessage(answer)
                .build();
          }
        };
    assistant =
        AiServices.builder(Assistant.class)
            .chatModel(stub)
            .tools(crm)
            .systemMessageProvider(id -> INSTRUCTIONS)
            .build();
  }

  private Mesh meshWith(ChatModel model) {
    return Mesh.builder()
        .agent(AgentSpec.builder("triage").instructions(INSTRUCTIONS).tools("lookupTier").build())
        .model("default", model)
        .tools(crm)
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
    handOffMesh.close();
  }

  @Benchmark
  public String agentmesh() {
    return mesh.agent("triage").call(INPUT).text();
  }

  @Benchmark
  public String agentmeshHandOff() {
    return handOffMesh.agent("triage").call(INPUT).text();
  }

  @Benchmark
  public String langchain4j() {
    return assistant.chat(INPUT);
  }

  /**
   * The floor: a hand-written loop with the messages, the model calls, the argument parsing, the
   * tool call and its result written as JSON, nothing else.
   */
  @Benchmark
  public String floor() {
    List<String[]> messages = new ArrayList<>(4);
    messages.add(new String[] {"system", INSTRUCTIONS});
    messages.add(new String[] {"user", INPUT});
    while (true) {
      String[] reply = floorModel(messages);
      messages.add(reply);
      if (reply[1] != null) return reply[1];
      String customer = JSON.readTree(reply[4]).get("customer").asString();
      String tier = crm.lookupTier(customer);
      messages.add(new String[] {"tool", reply[2], JSON.writeValueAsString(tier)});
    }
  }

  /**
   * The floor's stub model, as trivial as the others: {role, text} for an answer, {role, null, call
   * id, tool, arguments} for a tool call.
   */
  private static String[] floorModel(List<String[]> messages) {
    return messages.get(messages.size() - 1)[0].equals("tool")
        ? new String[] {"assistant", ANSWER}
        : new String[] {"assistant", null, "call_1", "lookupTier", ARGUMENTS};
  }
}
