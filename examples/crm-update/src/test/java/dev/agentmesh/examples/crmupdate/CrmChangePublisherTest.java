package dev.agentmesh.examples.crmupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.examples.support.CrmProcess;
import dev.agentmesh.review.ArtifactProvenance;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.PublishHandler;
import dev.agentmesh.review.PublishRefusedException;
import dev.agentmesh.review.RecordChange;
import dev.agentmesh.sessions.Origin;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrmChangePublisherTest {

  final CrmProcess crm = CrmProcess.start(System.out);
  final PublishHandler handler = CrmChangePublisher.handler(crm.client());

  @AfterEach
  void close() {
    crm.close();
  }

  @Test
  void publishingTheSameApprovalAgainAfterACrashChangesNothingMore() {
    assertThat(handler.honoursIdempotencyKey()).isTrue();
    Publication p = publication("key-1", change("1"));

    Object first = handler.publish(p);
    Object again = handler.publish(p);

    assertThat(again).isEqualTo(first);
    assertThat(crm.client().get("companies", "1001").version()).isEqualTo(2);
    assertThat(crm.requests())
        .filteredOn(r -> !r.method().equals("GET") && !r.path().endsWith("/search"))
        .extracting(r -> r.line() + " " + r.status())
        .containsExactly(
            "PATCH /crm/v3/objects/companies/1001 200", "POST /crm/v3/objects/calls 201");
  }

  @Test
  void aChangeOnAnOlderVersionIsRefusedAndWritesNothing() {
    crm.edit("companies", "1001", "tier", "strategic");

    assertThatThrownBy(() -> handler.publish(publication("key-2", change("1"))))
        .isInstanceOf(PublishRefusedException.class)
        .hasMessageContaining("(version read '1', now '2'); nothing was written");
    assertThat(crm.records("calls")).hasSize(8);
    assertThat(crm.client().get("companies", "1001").property("notes_last_contacted"))
        .isEqualTo("2026-11-02T15:04:00Z");
  }

  private static RecordChange change(String version) {
    return new RecordChange(
        "crm",
        "companies",
        "1001",
        version,
        List.of(
            new RecordChange.FieldChange(
                "notes_last_contacted", "2026-11-02T15:04:00Z", "2026-11-30T10:15:00Z"),
            new RecordChange.FieldChange("activity.hs_call_status", null, "NO_ANSWER"),
            new RecordChange.FieldChange("activity.hs_call_body", null, "Left a message.")));
  }

  private static Publication publication(String key, RecordChange change) {
    return new Publication(
        "r-1",
        key,
        change,
        new ContentHash("0".repeat(64)),
        new ArtifactProvenance("s-1", "crm-update", "fp", null, Origin.human("maya")),
        List.of("maya"));
  }
}
