package dev.agentmesh.examples.triage;

import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.examples.triage.TriageMesh.Ticket;
import dev.agentmesh.examples.triage.TriageMesh.Triage;
import java.io.PrintStream;
import java.util.List;

/**
 * The ticket-triage example: a declarative agent with one tool, run statelessly on three
 * tickets. Runs offline with no key; see {@link TriageMesh#modelFrom} for a real model.
 *
 * <pre>
 * ./mvnw -q -pl examples -am package -DskipTests exec:java
 * </pre>
 */
public final class TriageApp {

  static final List<Ticket> TICKETS = List.of(
      new Ticket("acme", "Invoice charged twice this month"),
      new Ticket("initech", "Dashboard shows an error after login"),
      new Ticket("globex", "How do I add a colleague?"));

  private TriageApp() {}

  public static void main(String[] args) {
    run(TriageMesh.modelFrom(System.getenv(), System.out), System.out);
  }

  /** Triages the example tickets and prints each decision. */
  static void run(dev.agentmesh.core.spi.ChatModel model, PrintStream out) {
    try (Mesh mesh = TriageMesh.create(model)) {
      out.println("Agent: triage " + mesh.agent("triage").spec().fingerprint());
      for (Ticket ticket : TICKETS) {
        AgentResult result = mesh.agent("triage").call(AgentRequest.builder(ticket).context("company", "Example Co").build());
        Triage triage = result.as(Triage.class);
        out.printf("  %-8s %-40s -> %-6s %-11s (%d turns, %d tokens) %s%n", ticket.customer(), "\"" + ticket.subject() + "\"",
            triage.priority(), triage.team(), result.turns(), result.usage().totalTokens(), triage.reasoning());
      }
    }
  }
}
