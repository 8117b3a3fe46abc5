package dev.agentmesh.examples.support;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A support ticket, as Zendesk's tickets API ({@code GET /api/v2/tickets}) shows one. {@code
 * organizationId} is the CRM company's id as a number and {@code requesterId} the contact's, so
 * tickets join to accounts. {@code replies} is the number of public agent replies (Zendesk's ticket
 * metric, shown inline as {@code "metric_set": {"replies": n}}): {@code 0} means no response yet.
 *
 * <pre>{@code
 * List<CrmTicket> open = crm.tickets(Map.of("status", "open", "organization_id", "1001"));
 * }</pre>
 *
 * @param id the ticket number
 * @param subject the subject line
 * @param description the first comment
 * @param status {@code new}, {@code open}, {@code pending}, {@code hold}, {@code solved} or {@code
 *     closed}
 * @param priority {@code urgent}, {@code high}, {@code normal} or {@code low}
 * @param requesterId the contact who asked
 * @param assigneeId the support agent assigned, or {@code null}
 * @param organizationId the company, or {@code null}
 * @param tags the ticket's tags
 * @param replies how many public replies agents have made
 * @param createdAt when opened
 * @param updatedAt when last changed
 */
public record CrmTicket(
    long id,
    String subject,
    String description,
    String status,
    String priority,
    long requesterId,
    @Nullable Long assigneeId,
    @Nullable Long organizationId,
    List<String> tags,
    int replies,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Copies the tags.
   *
   * @param id the ticket number
   * @param subject the subject line
   * @param description the first comment
   * @param status the status
   * @param priority the priority
   * @param requesterId the requester
   * @param assigneeId the assignee, or {@code null}
   * @param organizationId the company, or {@code null}
   * @param tags the tags
   * @param replies public agent replies
   * @param createdAt when opened
   * @param updatedAt when last changed
   */
  public CrmTicket {
    tags = List.copyOf(tags);
  }

  /** {@return whether the ticket still needs work: new, open, pending or on hold} */
  public boolean isOpen() {
    return !status.equals("solved") && !status.equals("closed");
  }
}
