package dev.agentmesh.core;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What an agent's tools may do: which of its tools the model may call, and which network hosts HTTP
 * tools may reach (a tool checks through {@link ToolContext#requireHostAllowed(URI)}).
 *
 * <pre>{@code
 * SandboxPolicy policy = SandboxPolicy.of(Set.of("lookupTier"), Set.of("api.example.com", "*.crm.example.com"));
 * policy.allowsHost("eu.crm.example.com"); // true
 * }</pre>
 *
 * @param tools the tools the model may call, or {@code null} for all the agent declares
 * @param hosts the hosts tools may reach ({@code *.domain} matches subdomains), or {@code null} for
 *     any host
 */
public record SandboxPolicy(@Nullable Set<String> tools, @Nullable Set<String> hosts) {

  /** No restriction beyond the agent's declared tools. */
  public static final SandboxPolicy UNRESTRICTED = new SandboxPolicy(null, null);

  /**
   * Copies the sets, host names in lower case.
   *
   * @param tools the tools the model may call, or {@code null} for all the agent declares
   * @param hosts the hosts tools may reach ({@code *.domain} matches subdomains), or {@code null}
   *     for any host
   */
  public SandboxPolicy {
    tools = tools == null ? null : Set.copyOf(new TreeSet<>(tools));
    hosts = hosts == null ? null : Set.copyOf(lowerCase(hosts));
  }

  /**
   * A policy; pass {@code null} for "no restriction".
   *
   * @param tools the tools the model may call, or {@code null}
   * @param hosts the hosts tools may reach, or {@code null}
   * @return the policy
   */
  public static SandboxPolicy of(@Nullable Set<String> tools, @Nullable Set<String> hosts) {
    return new SandboxPolicy(tools, hosts);
  }

  /**
   * Whether the model may call this tool.
   *
   * @param tool the tool's name
   * @return whether the model may call it
   */
  public boolean allowsTool(String tool) {
    return tools == null || tools.contains(tool);
  }

  /**
   * Whether a tool may reach this host.
   *
   * @param host the host name, in any case
   * @return whether a tool may reach it
   */
  public boolean allowsHost(String host) {
    if (hosts == null) return true;
    String h = host.toLowerCase(Locale.ROOT);
    for (String allowed : hosts) {
      if (allowed.equals(h) || allowed.startsWith("*.") && h.endsWith(allowed.substring(1))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> lowerCase(Set<String> hosts) {
    Set<String> out = new TreeSet<>();
    for (String h : hosts) out.add(h.toLowerCase(Locale.ROOT));
    return out;
  }
}
