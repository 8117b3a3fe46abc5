package dev.agentmesh.examples.leadenrichment;

import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.StaleRecordException;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.PublishHandler;
import dev.agentmesh.review.PublishRefusedException;
import dev.agentmesh.review.RecordChange;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Applies an approved lead {@link RecordChange} to the CRM: {@code recordId "new"} at {@code
 * versionRead "0"} creates the lead ({@code POST}); any other is a conditional {@code PATCH} with
 * {@code If-Match} on the version read, refused (never overwritten) when the lead changed since. It
 * returns the lead's {@code id} and new {@code version}: when policy approved some fields, their
 * write creates the lead, and the fields a person approves later are applied to that lead at that
 * version.
 *
 * <pre>{@code
 * Reviews.builder(mesh).publisher("record-change", new CrmLeads(crm, System.out))...
 * }</pre>
 */
public final class CrmLeads implements PublishHandler {

  /** The record id and version of a change that creates its record. */
  public static final String NEW = "new";

  private final CrmClient crm;
  private final PrintStream out;

  /** Applies changes through {@code crm}, saying what it wrote on {@code out}. */
  public CrmLeads(CrmClient crm, PrintStream out) {
    this.crm = crm;
    this.out = out;
  }

  @Override
  public @Nullable Object publish(Publication publication) {
    RecordChange change = (RecordChange) publication.artifact();
    Map<String, String> fields = new LinkedHashMap<>();
    for (RecordChange.FieldChange f : change.changes()) {
      fields.put(f.field(), f.after() == null ? "" : f.after());
    }
    String by = String.join(", ", publication.approvers());
    CrmRecord written;
    if (NEW.equals(change.recordId()) && "0".equals(change.versionRead())) {
      written = crm.create(change.recordType(), fields);
      out.println(
          "  CRM: created "
              + change.recordType()
              + " "
              + written.id()
              + " with "
              + fields.keySet()
              + " (approved by "
              + by
              + ")");
    } else {
      try {
        written =
            crm.update(
                change.recordType(),
                change.recordId(),
                Long.parseLong(change.versionRead()),
                fields);
      } catch (StaleRecordException e) {
        out.println(
            "  CRM: refused "
                + fields.keySet()
                + " on "
                + change.recordType()
                + " "
                + change.recordId()
                + ": it changed since version "
                + change.versionRead()
                + " (now "
                + e.currentVersion()
                + "); nothing was overwritten");
        throw PublishRefusedException.recordChanged(change, String.valueOf(e.currentVersion()));
      }
      out.println(
          "  CRM: updated "
              + change.recordType()
              + " "
              + written.id()
              + " at version "
              + change.versionRead()
              + " with "
              + fields.keySet()
              + " (approved by "
              + by
              + ")");
    }
    return Map.of("id", written.id(), "version", String.valueOf(written.version()));
  }
}
