package dev.agentmesh.examples.support;

/**
 * The CRM answered a {@link CrmClient} request with an error status. {@link StaleRecordException}
 * is the one a caller handles: the record changed since it was read.
 *
 * <pre>{@code
 * try {
 *   crm.get("companies", "9999");
 * } catch (CrmException e) {
 *   if (e.status() == 404) out.println("no such account");
 * }
 * }</pre>
 */
public class CrmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * An error answer.
   *
   * @param status the HTTP status
   * @param message what was asked, what came back, and what to do
   */
  public CrmException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** {@return the HTTP status the CRM answered} */
  public int status() {
    return status;
  }
}
