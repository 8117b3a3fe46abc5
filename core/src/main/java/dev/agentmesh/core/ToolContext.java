package dev.agentmesh.core;

import java.net.URI;
import java.util.Objects;

/**
 * What a tool knows about the run that calls it. Declare a parameter of this type on a {@link Tool}
 * method to receive it.
 *
 * <pre>{@code
 * @Tool("Fetches a page")
 * String fetch(String url, ToolContext context) {
 *   URI uri = URI.create(url);
 *   context.requireHostAllowed(uri);   // enforces the agent's sandbox.hosts
 *   return http.get(uri);
 * }
 * }</pre>
 *
 * @param agent the calling agent's name
 * @param runId the run's id
 * @param callId the model's id for this call
 * @param sandbox the calling agent's sandbox policy
 */
public record ToolContext(String agent, String runId, String callId, SandboxPolicy sandbox) {

  /**
   * Checks that no component is null.
   *
   * @param agent the calling agent's name
   * @param runId the run's id
   * @param callId the model's id for this call
   * @param sandbox the calling agent's sandbox policy
   */
  public ToolContext {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(sandbox, "sandbox");
  }

  /**
   * Throws {@link SandboxViolationException} unless the sandbox allows the URI's host.
   *
   * @param uri the URI a tool is about to reach
   */
  public void requireHostAllowed(URI uri) {
    String host = uri.getHost();
    if (host == null || !sandbox.allowsHost(host)) {
      throw new SandboxViolationException(
          "Agent '"
              + agent
              + "' may not reach host '"
              + host
              + "'; its sandbox allows "
              + sandbox.hosts()
              + ". Add the host to sandbox.hosts in its spec.");
    }
  }
}
