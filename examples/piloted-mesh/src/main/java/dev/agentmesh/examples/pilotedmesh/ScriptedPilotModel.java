package dev.agentmesh.examples.pilotedmesh;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example's offline model: plays all five agents deterministically, telling them apart by their
 * instructions. The pilot starts the three stages one after another with {@code start_session}, and
 * the investigation when an alert is posted into its session; each stage agent proposes its
 * artifact at once.
 *
 * <pre>{@code
 * ChatModel model = ExampleModel.from(env, out, ScriptedPilotModel::new);
 * }</pre>
 */
public final class ScriptedPilotModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The stages the pilot starts, in order. */
  static final List<String> STAGES = List.of("coder", "infra", "observability");

  /** The agent the pilot starts when an alert is posted into its session. */
  static final String INVESTIGATOR = "investigator";

  /** A new scripted model. */
  public ScriptedPilotModel() {}

  @Override
  public String name() {
    return "scripted-piloted-mesh";
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    String system = "";
    String input = "";
    String alert = "";
    int toolResults = 0;
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.SYSTEM) system += m.textOrEmpty();
      else if (m.role() == ChatMessage.Role.USER && input.isEmpty()) input = m.textOrEmpty();
      else if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("ALERT"))
        alert = m.textOrEmpty();
      else if (m.role() == ChatMessage.Role.TOOL) toolResults++;
    }
    if (system.contains("You coordinate")) return pilot(input, alert, toolResults);
    if (system.contains("coding agent")) return json(codeDiff());
    if (system.contains("infrastructure agent")) return json(document("Deploy plan", DEPLOY_PLAN));
    if (system.contains("observability agent")) return json(document("Monitoring", MONITORING));
    if (system.contains("investigation agent"))
      return json(document("Incident report", report(input)));
    return ChatResponse.ofText("I do not know which agent I am playing.");
  }

  private static ChatResponse pilot(String request, String alert, int done) {
    if (done > STAGES.size())
      return ChatResponse.ofText(
          "Investigated: the incident report on the alert is approved by the pilot; halt the"
              + " rollout at the canary.");
    if (done == STAGES.size() && alert.isEmpty())
      return ChatResponse.ofText(
          "Shipped: the checkout retry fix (code diff, deploy plan and monitoring approved by the"
              + " pilot).");
    if (done == STAGES.size())
      return ChatResponse.ofToolCalls(
          ToolCall.of(
              "stage-4",
              "start_session",
              JSON.createObjectNode().put("agent", INVESTIGATOR).put("input", alert)));
    String agent = STAGES.get(done);
    ObjectNode args = JSON.createObjectNode().put("agent", agent);
    switch (agent) {
      case "coder" -> args.put("input", request);
      case "infra" -> args.put("input", "Deploy the change to src/main/java/shop/Checkout.java");
      default -> args.put("input", "Monitor the rollout of the deploy plan");
    }
    return ChatResponse.ofToolCalls(ToolCall.of("stage-" + (done + 1), "start_session", args));
  }

  private static ChatResponse json(ObjectNode node) {
    return ChatResponse.ofText(JSON.writeValueAsString(node));
  }

  private static ObjectNode codeDiff() {
    ObjectNode diff = JSON.createObjectNode();
    diff.putArray("files")
        .addObject()
        .put("path", "src/main/java/shop/Checkout.java")
        .put(
            "patch",
            """
            --- a/src/main/java/shop/Checkout.java
            +++ b/src/main/java/shop/Checkout.java
            @@ -10,3 +10,4 @@
               Receipt pay(Order order) {
            -    return payments.charge(order);
            +    // a timed-out charge is retried once with the same idempotency key
            +    return retry.once(() -> payments.charge(order, order.idempotencyKey()));
               }
            """);
    return diff;
  }

  private static ObjectNode document(String title, String after) {
    return JSON.createObjectNode()
        .put("title", title)
        .put("format", "MARKDOWN")
        .put("before", "")
        .put("after", after);
  }

  private static final String DEPLOY_PLAN =
      """
      # Deploy plan: checkout-service

      1. Canary: 5% of traffic for 15 minutes; gate: checkout error rate below 1%.
      2. Half: 50% for 30 minutes; same gate, p99 latency below 800 ms.
      3. Everyone.

      Roll back: redeploy the previous image (`checkout-service:1.41.2`).
      """;

  private static final String MONITORING =
      """
      # Monitoring: checkout-service

      - Metric `checkout_payment_retries_total`, panel "retries per minute".
      - Alert `CheckoutErrorRate`: error rate above 2% for 5 minutes, pages the on-call.
      - Alert `CheckoutLatency`: p99 above 1 s for 10 minutes.
      """;

  private static String report(String event) {
    return """
        # Incident report

        **Event:** %s

        ## Summary
        Checkout error rate rose above the alert threshold during the rollout.

        ## Likely cause
        The retry added in the latest change doubles payment calls when the provider is slow.

        ## Next steps
        1. Halt the rollout at the canary (deploy plan, step 1).
        2. Add a retry budget; re-run the canary.
        """
        .formatted(event.strip());
  }
}
