package dev.agentmesh.examples.deployguardrail;

import java.util.List;

/**
 * The guardrail's answer: {@code allow}, or {@code block} with every rule the deploy broke.
 *
 * <pre>{@code
 * Verdict verdict = checks.verdict(deploy);
 * if (verdict.decision().equals("block")) verdict.findings().forEach(f -> log(f.detail()));
 * }</pre>
 *
 * @param service the service of the request
 * @param environment the environment of the request
 * @param decision {@code allow} or {@code block}
 * @param findings the rules broken, in the order the checks run; empty when allowed
 */
public record Verdict(String service, String environment, String decision, List<Finding> findings) {

  /**
   * Copies the findings.
   *
   * @param service the service of the request
   * @param environment the environment of the request
   * @param decision {@code allow} or {@code block}
   * @param findings the rules broken
   */
  public Verdict {
    findings = List.copyOf(findings);
  }

  /** {@return whether the deploy may go ahead} */
  public boolean allowed() {
    return decision.equals("allow");
  }

  /**
   * One rule a deploy broke.
   *
   * <pre>{@code
   * new Verdict.Finding("image-tag", "image 'billing:latest' uses the tag 'latest'; pin a version");
   * }</pre>
   *
   * @param rule {@code freeze-window}, {@code migration-rollback}, {@code image-tag} or {@code
   *     approvals}
   * @param detail what was wrong and how to fix it
   */
  public record Finding(String rule, String detail) {}
}
