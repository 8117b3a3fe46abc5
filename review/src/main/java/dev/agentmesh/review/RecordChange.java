package dev.agentmesh.review;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change to one record in a system of record (a CRM contact, a ticket): its identity, the version
 * the agent read (the apply is to be refused if the record changed since), and the touched fields
 * only, each {@code before -> after}.
 *
 * <pre>{@code
 * RecordChange change = new RecordChange("crm", "contact", "0031x00000AbC", "17", List.of(
 *     new RecordChange.FieldChange("title", "Engineer", "Staff Engineer")));
 * }</pre>
 *
 * @param system the system of record ({@code crm}, {@code jira})
 * @param recordType the kind of record in that system
 * @param recordId the record's id in that system
 * @param versionRead the record version (etag, revision, timestamp) the change was made against
 * @param changes the touched fields
 */
public record RecordChange(
    String system,
    String recordType,
    String recordId,
    String versionRead,
    List<FieldChange> changes)
    implements ReviewArtifact {

  /**
   * Checks the components and copies the changes.
   *
   * @param system the system of record ({@code crm}, {@code jira})
   * @param recordType the kind of record in that system
   * @param recordId the record's id in that system
   * @param versionRead the record version (etag, revision, timestamp) the change was made against
   * @param changes the touched fields
   */
  public RecordChange {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(recordType, "recordType");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(versionRead, "versionRead");
    changes = List.copyOf(changes);
  }

  /**
   * One touched field; {@code null} means the field is unset.
   *
   * @param field the field's name
   * @param before its value when read
   * @param after the proposed value
   */
  public record FieldChange(String field, @Nullable String before, @Nullable String after) {
    /**
     * Checks the field's name is there.
     *
     * @param field the field's name
     * @param before its value when read
     * @param after the proposed value
     */
    public FieldChange {
      Objects.requireNonNull(field, "field");
    }
  }
}
