package dev.agentmesh.examples.triage;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.models.OpenAiChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How the example composes its mesh: the triage and security-reviewer specs, the model bound to
 * alias {@code fast}, and the customer-tier tool. Tests build the same mesh with a scripted model.
 *
 * <pre>{@code
 * try (Mesh mesh = TriageMesh.create(TriageMesh.modelFrom(System.getenv(), System.out))) {
 *   Triage triage = mesh.agent("triage").call(ticket, Triage.class);
 * }
 * }</pre>
 */
public final class TriageMesh {

  /** The spec's input. */
  public record Ticket(String customer, String subject) {}

  /** The spec's output. */
  public record Triage(String priority, String team, String reasoning) {}

  private TriageMesh() {}

  /** The example's mesh with this model behind the {@code fast} alias. */
  public static Mesh create(ChatModel model) {
    return Mesh.builder()
        .agent(spec("agents/triage.yaml"))
        .agent(spec("agents/security-reviewer.yaml"))
        .agent(spec("agents/reply.yaml"))
        .model("fast", model)
        .tools(CustomerTiers.fromClasspath("/customers.csv"))
        .build();
  }

  /**
   * A real OpenAI-compatible model when {@code OPENAI_BASE_URL} or {@code OPENAI_API_KEY} is set
   * ({@code OPENAI_MODEL} picks the model, default {@code gpt-4.1-mini}), the offline stand-in
   * otherwise. Says which on {@code out}.
   */
  public static ChatModel modelFrom(Map<String, String> env, PrintStream out) {
    String baseUrl = env.get("OPENAI_BASE_URL");
    String key = env.get("OPENAI_API_KEY");
    if (isBlank(baseUrl) && isBlank(key)) {
      out.println(
          "Model: the offline stand-in (set OPENAI_BASE_URL and/or OPENAI_API_KEY to use a real model)");
      return new OfflineTriageModel();
    }
    OpenAiChatModel.Builder b =
        OpenAiChatModel.builder().model(env.getOrDefault("OPENAI_MODEL", "gpt-4.1-mini"));
    if (!isBlank(baseUrl)) b.baseUrl(baseUrl);
    if (!isBlank(key)) b.apiKey(key);
    OpenAiChatModel model = b.build();
    out.println(
        "Model: " + model.name() + " at " + (isBlank(baseUrl) ? "the OpenAI API" : baseUrl));
    return model;
  }

  static AgentSpec spec(String resource) {
    try (InputStream in = TriageMesh.class.getResourceAsStream("/" + resource)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + resource);
      return AgentSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
