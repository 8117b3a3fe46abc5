package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.triggers.AgentTriggers;
import dev.agentmesh.triggers.TriggerKind;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.TriggerSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * How the example composes its mesh: the two specs under {@code agents/}, the model behind the
 * alias {@code fast}, the CRM tools and the {@code start_session} tool; and its trigger file, with
 * the 9:00 cron put in the host's zone.
 *
 * <pre>{@code
 * Mesh mesh = PriorityMesh.mesh(model, tools);
 * List<TriggerSpec> triggers = PriorityMesh.triggers(ZoneId.systemDefault());
 * }</pre>
 */
public final class PriorityMesh {

  /** The agent that makes the lists. */
  public static final String AGENT = "daily-priorities";

  /** The agent that asks for the lists as a sub-task. */
  public static final String BRIEFING = "morning-briefing";

  /** The cron trigger's id in the trigger file. */
  public static final String CRON = "weekday-morning";

  /** The CRM webhook's id in the trigger file. */
  public static final String WEBHOOK = "crm-owner-changed";

  /** The trigger file, a class-path resource. */
  static final String TRIGGERS = "triggers/daily-priorities.yaml";

  private PriorityMesh() {}

  /**
   * The example's mesh.
   *
   * @param model the model behind the alias {@code fast}
   * @param tools the CRM tools
   * @return the mesh
   */
  public static Mesh mesh(ChatModel model, PriorityTools tools) {
    return Mesh.builder()
        .agents(AgentSpecs.loadResources("agents"))
        .model("fast", model)
        .tools(tools)
        .tool(AgentTriggers.tool())
        .build();
  }

  /**
   * The trigger file's triggers; a cron that names no zone (so reads as UTC) runs in {@code
   * hostZone}.
   *
   * @param hostZone the host's zone
   * @return the triggers
   */
  public static List<TriggerSpec> triggers(ZoneId hostZone) {
    return TriggerSpecs.parse(resource(TRIGGERS), TRIGGERS).stream()
        .map(spec -> inZone(spec, hostZone))
        .toList();
  }

  private static TriggerSpec inZone(TriggerSpec spec, ZoneId zone) {
    String expression = spec.expression();
    if (spec.kind() != TriggerKind.CRON
        || !spec.zone().normalized().equals(ZoneOffset.UTC)
        || expression == null) return spec;
    TriggerSpec.Builder b =
        TriggerSpec.cron(spec.id(), expression)
            .agent(spec.agent())
            .dialect(spec.dialect())
            .zone(zone)
            .dstGap(spec.dstGap())
            .overlap(spec.overlap())
            .catchUp(spec.catchUp())
            .jitter(spec.jitter())
            .paused(spec.paused());
    JsonNode input = spec.input();
    if (input != null) b.input(input);
    return b.build();
  }

  static String resource(String name) {
    try (InputStream in = PriorityMesh.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new IllegalStateException("the example's jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
