package dev.agentmesh.examples.deployguardrail;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code deploy.requested} message's body: what is about to be deployed, where, by whom, with
 * which database migrations and approvals.
 *
 * <pre>{@code
 * DeployRequest deploy = new DeployRequest("billing", "production", "registry/billing:1.4.2",
 *     "ana", Instant.parse("2026-11-30T10:00:00Z"),
 *     List.of(new DeployRequest.Migration("0042_add_index", "0042_drop_index")),
 *     List.of("bo", "cy"));
 * }</pre>
 *
 * @param service the service deployed
 * @param environment {@code staging} or {@code production}
 * @param image the container image, {@code repository:tag} or {@code repository@sha256:...}
 * @param requestedBy who asked for the deploy
 * @param requestedAt when the deploy would start
 * @param migrations the database migrations it runs
 * @param approvals who approved it
 */
public record DeployRequest(
    String service,
    String environment,
    String image,
    String requestedBy,
    Instant requestedAt,
    List<Migration> migrations,
    List<String> approvals) {

  /**
   * Copies the lists.
   *
   * @param service the service deployed
   * @param environment {@code staging} or {@code production}
   * @param image the container image
   * @param requestedBy who asked for the deploy
   * @param requestedAt when the deploy would start
   * @param migrations the database migrations it runs
   * @param approvals who approved it
   */
  public DeployRequest {
    migrations = List.copyOf(migrations);
    approvals = List.copyOf(approvals);
  }

  /**
   * A database migration and the migration that undoes it.
   *
   * <pre>{@code
   * new DeployRequest.Migration("0042_add_index", "0042_drop_index");
   * }</pre>
   *
   * @param id the migration's id
   * @param rollback the id of the migration that undoes it, or {@code null} when there is none
   */
  public record Migration(String id, @Nullable String rollback) {}
}
