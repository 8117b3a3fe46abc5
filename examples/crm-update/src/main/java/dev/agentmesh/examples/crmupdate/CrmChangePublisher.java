package dev.agentmesh.examples.crmupdate;

import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.StaleRecordException;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.PublishHandler;
import dev.agentmesh.review.PublishRefusedException;
import dev.agentmesh.review.RecordChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Applies an approved {@link RecordChange} to the CRM, once:
 *
 * <ol>
 *   <li>the company's own fields ({@code notes_last_contacted}) with a conditional {@code PATCH}
 *       ({@code If-Match} = {@link RecordChange#versionRead()}); a {@code 412} becomes {@link
 *       PublishRefusedException#recordChanged}: nothing is written, nothing is overwritten;
 *   <li>the {@code activity.*} fields as a logged call ({@code POST /crm/v3/objects/calls})
 *       associated with the company.
 * </ol>
 *
 * <p>Both writes carry the approval's idempotency key ({@code agentmesh_change_key}), and each is
 * skipped when the CRM already holds it, so the handler {@linkplain
 * PublishHandler#honoursIdempotencyKey() honours the key}: called again after a crash, the effect
 * still happens exactly once.
 *
 * <pre>{@code
 * Reviews.builder(mesh).publisher("record-change", CrmChangePublisher.handler(crm));
 * }</pre>
 */
public final class CrmChangePublisher {

  /** The prefix of fields that describe the call to log rather than the company. */
  public static final String ACTIVITY = "activity.";

  /** The property carrying the approval's idempotency key on both writes. */
  public static final String KEY = "agentmesh_change_key";

  private final CrmClient crm;

  private CrmChangePublisher(CrmClient crm) {
    this.crm = crm;
  }

  /**
   * The publish handler for {@code record-change} artifacts.
   *
   * @param crm the CRM to apply changes to
   * @return the handler, honouring idempotency keys
   */
  public static PublishHandler handler(CrmClient crm) {
    return PublishHandler.idempotent(new CrmChangePublisher(crm)::publish);
  }

  private @Nullable Object publish(Publication publication) {
    RecordChange change = (RecordChange) publication.artifact();
    String key = publication.idempotencyKey();
    Map<String, String> recordFields = new LinkedHashMap<>();
    Map<String, String> callFields = new LinkedHashMap<>();
    for (RecordChange.FieldChange f : change.changes()) {
      String after = f.after() == null ? "" : f.after();
      if (f.field().startsWith(ACTIVITY))
        callFields.put(f.field().substring(ACTIVITY.length()), after);
      else recordFields.put(f.field(), after);
    }
    CrmRecord company = crm.get(change.recordType(), change.recordId());
    if (!key.equals(company.property(KEY))) {
      recordFields.put(KEY, key);
      try {
        company =
            crm.update(
                change.recordType(),
                change.recordId(),
                Long.parseLong(change.versionRead()),
                recordFields);
      } catch (StaleRecordException e) {
        throw PublishRefusedException.recordChanged(change, String.valueOf(e.currentVersion()));
      }
    }
    String callId = logCall(change, callFields, key);
    Map<String, Object> applied = new LinkedHashMap<>();
    applied.put("record", change.recordType() + "/" + change.recordId());
    applied.put("version", String.valueOf(company.version()));
    applied.put("call", callId);
    return applied;
  }

  private String logCall(RecordChange change, Map<String, String> fields, String key) {
    List<CrmRecord> logged = crm.search("calls", Map.of(KEY, key));
    if (!logged.isEmpty()) return logged.get(0).id();
    if (fields.isEmpty()) return "";
    Map<String, String> call = new LinkedHashMap<>(fields);
    call.putIfAbsent("hs_call_direction", "OUTBOUND");
    for (RecordChange.FieldChange f : change.changes())
      if (f.field().equals("notes_last_contacted") && f.after() != null)
        call.putIfAbsent("hs_timestamp", f.after());
    call.put(KEY, key);
    return crm.create("calls", call, Map.of(change.recordType(), List.of(change.recordId()))).id();
  }
}
