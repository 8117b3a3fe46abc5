package dev.agentmesh.benchmarks;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.ParticipantRole;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * One turn of a conversation (a user message, one tool call, the answer) on the in-memory session
 * store, beside LangChain4j 1.19 {@code AiServices} with a {@code MessageWindowChatMemory} large
 * enough to keep the whole conversation, both on an in-process stub model that asks for the tool
 * and then answers: the library's own cost per turn, since the model costs nothing here.
 *
 * <p>One benchmark operation is one turn. A conversation lasts {@code turns} turns, then the next
 * one starts (its start is counted in its turns): with {@code turns = 20} the average is over turns
 * 1 to 20, with {@code 200} over turns 1 to 200, so a cost that grows with the log's length shows
 * as a higher average at 200 (a per-turn cost of {@code a + b * n} averages {@code a + 10.5 b} over
 * 20 turns and {@code a + 100.5 b} over 200).
 *
 * <ul>
 *   <li>{@code agentmesh}: {@code session.post(...)} then {@code awaitFinished}, the turn driven on
 *       the caller's thread ({@code executor(Runnable::run)}); every event is encoded as the store
 *       keeps it. When a conversation ends, the next one's start erases it ({@code
 *       sessions.delete}, counted in the turn), as the LangChain4j side clears its memory: without
 *       it the store keeps every conversation of the iteration in the heap, and a 5 s iteration's
 *       garbage collections (of a live set that grows all along) took 6.5 of its 15 s. A fresh
 *       store per iteration as well.
 *   <li>{@code langchain4j}: {@code assistant.chat(...)}, its chat memory cleared when a
 *       conversation ends.
 * </ul>
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ConversationBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConversationBenchmark {

  static final String INSTRUCTIONS =
      "You triage support tickets. Look up the customer's tier with lookupTier.";
  static final String MESSAGE = "Invoice wrong for acme, please fix";
  static final String ANSWER = "priority high, team billing";
  static final String ARGUMENTS = "{\"customer\":\"acme\"}";

  /** The tool, the same for both. */
  public static final class Crm {
    /**
     * The customer's tier.
     *
     * @param customer the customer
     * @return the tier
     */
    @dev.agentmesh.core.Tool(value = "Looks up a customer's support tier", idempotent = true)
    @dev.langchain4j.agent.tool.Tool("Looks up a customer's support tier")
    public String lookupTier(String customer) {
      return customer.equals("acme") ? "gold" : "basic";
    }
  }

  /** The LangChain4j assistant. */
  public interface Assistant {
    /**
     * One turn.
     *
     * @param message the user's message
     * @return the answer
     */
    String chat(String message);
  }

  /** agentmesh: the mesh for the trial, a fresh store and Sessions per iteration. */
  @State(Scope.Thread)
  public static class Agentmesh {
    @Param({"20", "200"})
    int turns;

    Mesh mesh;
    Sessions sessions;
    Session session;
    int turn;

    @Setup(Level.Trial)
    public void mesh() {
      JsonNode arguments = AgentCallBenchmark.JSON.readTree(ARGUMENTS);
      ChatModel model =
          new ChatModel() {
            @Override
            public ChatResponse chat(ChatRequest request) {
              List<ChatMessage> messages = request.messages();
              return messages.get(messages.size() - 1).role() == ChatMessage.Role.TOOL
                  ? ChatResponse.ofText(ANSWER)
                  : ChatResponse.ofToolCalls(ToolCall.of("call_1", "lookupTier", arguments));
            }

            @Override
            public boolean honoursTimeout() {
              return true; // it answers at once
            }
          };
      mesh =
          Mesh.builder()
              .agent(
                  AgentSpec.builder("triage")
                      .instructions(INSTRUCTIONS)
                      .tools("lookupTier")
                      .build())
              .model("default", model)
              .tools(new Crm())
              .build();
    }

    @Setup(Level.Iteration)
    public void store() {
      sessions =
          Sessions.builder(mesh)
              .store(InMemorySessionStore.create())
              .executor(Runnable::run)
              .build();
      session = null;
      turn = 0;
    }

    @TearDown(Level.Iteration)
    public void closeStore() {
      sessions.close();
    }

    @TearDown(Level.Trial)
    public void closeMesh() {
      mesh.close();
    }

    SessionState next() {
      if (session == null || turn == turns) {
        if (session != null) {
          sessions.delete(
              session.id()); // the conversation is over: erase it, as LangChain4j clears
        }
        turn = 1;
        session =
            sessions
                .newSession("triage")
                .input(MESSAGE)
                .origin(Origin.human("ana"))
                .participant("ana", ParticipantRole.OWNER)
                .start();
      } else {
        turn++;
        session.post("ana", MESSAGE);
      }
      return session.awaitFinished(Duration.ofSeconds(10));
    }
  }

  /** LangChain4j: the assistant and its chat memory. */
  @State(Scope.Thread)
  public static class LangChain4j {
    @Param({"20", "200"})
    int turns;

    Assistant assistant;
    MessageWindowChatMemory memory;
    int turn;

    @Setup(Level.Trial)
    public void assistant() {
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
      memory = MessageWindowChatMemory.withMaxMessages(4 * turns + 8);
      assistant =
          AiServices.builder(Assistant.class)
              .chatModel(stub)
              .tools(new Crm())
              .systemMessageProvider(id -> INSTRUCTIONS)
              .chatMemory(memory)
              .build();
    }

    String next() {
      if (turn == turns) {
        memory.clear();
        turn = 0;
      }
      turn++;
      return assistant.chat(MESSAGE);
    }
  }

  @Benchmark
  public JsonNode agentmesh(Agentmesh env) {
    return env.next().output();
  }

  @Benchmark
  public String langchain4j(LangChain4j env) {
    return env.next();
  }
}
