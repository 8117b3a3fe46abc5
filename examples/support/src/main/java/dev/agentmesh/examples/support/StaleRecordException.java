package dev.agentmesh.examples.support;

/**
 * A conditional update was refused ({@code 412 Precondition Failed}): the record changed in the CRM
 * since the version the change was based on was read. Nothing was written; read the record again
 * and decide whether the change still applies.
 *
 * <pre>{@code
 * try {
 *   crm.update("companies", "1001", readVersion, Map.of("notes_last_contacted", today));
 * } catch (StaleRecordException e) {
 *   out.println("not applied: " + e.getMessage());
 * }
 * }</pre>
 */
public final class StaleRecordException extends CrmException {

  private static final long serialVersionUID = 1L;

  private final String type;
  private final String id;
  private final long expectedVersion;
  private final long currentVersion;

  /**
   * A refused update.
   *
   * @param type the object type
   * @param id the record's id
   * @param expectedVersion the version the change was based on
   * @param currentVersion the record's version in the CRM now ({@code -1} when unknown)
   */
  public StaleRecordException(String type, String id, long expectedVersion, long currentVersion) {
    super(
        412,
        type
            + " "
            + id
            + " changed in the CRM since version "
            + expectedVersion
            + " was read (it is now at version "
            + (currentVersion < 0 ? "?" : String.valueOf(currentVersion))
            + "); nothing was written: read it again and re-apply the change if it still holds");
    this.type = type;
    this.id = id;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  /** {@return the object type} */
  public String type() {
    return type;
  }

  /** {@return the record's id} */
  public String id() {
    return id;
  }

  /** {@return the version the refused change was based on} */
  public long expectedVersion() {
    return expectedVersion;
  }

  /**
   * {@return the record's version in the CRM when the change was refused, {@code -1} if unknown}
   */
  public long currentVersion() {
    return currentVersion;
  }
}
