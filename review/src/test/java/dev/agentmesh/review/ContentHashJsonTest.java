package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ContentHashJsonTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContentHash HASH = ContentHash.parse("sha256:" + "ab".repeat(32));

  @Test
  void anOutcomesHashIsWrittenAsItsTextNotAsAnObject() {
    ReviewOutcome outcome =
        new ReviewOutcome(
            "s-1/r1",
            "d-1",
            ReviewState.Kind.APPROVE,
            ReviewStatus.APPROVED,
            HASH,
            1,
            1,
            EffectStatus.APPLIED);

    String json = JSON.writeValueAsString(outcome);

    assertThat(JSON.readTree(json).get("hash").asString()).isEqualTo("sha256:" + "ab".repeat(32));
    assertThat(JSON.readValue(json, ReviewOutcome.class)).isEqualTo(outcome);
  }

  @Test
  void aHashIsReadFromItsTextItsBareHexAndTheObjectEarlierVersionsWrote() {
    String hex = "ab".repeat(32);

    assertThat(JSON.readValue("\"sha256:" + hex + "\"", ContentHash.class)).isEqualTo(HASH);
    assertThat(JSON.readValue("\"" + hex + "\"", ContentHash.class)).isEqualTo(HASH);
    assertThat(JSON.readValue("{\"hex\":\"" + hex + "\"}", ContentHash.class)).isEqualTo(HASH);
    assertThatThrownBy(() -> JSON.readValue("{\"digest\":\"" + hex + "\"}", ContentHash.class))
        .hasMessageContaining("a content hash is written \"sha256:<64 hex digits>\"");
  }
}
