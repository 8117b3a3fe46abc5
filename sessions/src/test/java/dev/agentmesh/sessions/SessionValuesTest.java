package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SessionValuesTest {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void aPayloadWithNulIsRefusedWithItsPointerBecausePostgresCannotStoreIt() {
    assertThatThrownBy(
            () ->
                new NewEvent(
                    "tool.returned",
                    1,
                    json.readTree("{\"out\":[\"ok\",\"a\\u0000b\"]}"),
                    Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Payload of event type 'tool.returned' contains U+0000 at '/out/1'; "
                + "PostgreSQL cannot store it, so no store accepts it: remove or escape the character");
  }

  @Test
  void anEventTypeVersionBelowOneIsRefused() {
    assertThatThrownBy(() -> new NewEvent("x", 0, json.readTree("{}"), Instant.EPOCH))
        .hasMessage("typeVersion of event type 'x' must be at least 1 but was 0");
  }

  @Test
  void instantsAreTruncatedToMicrosecondsTheWayEveryStoreKeepsThem() {
    Instant at = Instant.parse("2026-01-01T00:00:00.123456789Z");
    assertThat(new NewEvent("x", 1, json.readTree("{}"), at).at())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    assertThat(SessionSummary.builder("s").createdAt(at).build().createdAt())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
  }

  @Test
  void aCursorThatNoPageReturnedIsRefused() {
    assertThatThrownBy(() -> SessionQuery.builder().after("not-a-cursor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cursor 'not-a-cursor' is not one a SessionPage returned; pass "
                + "SessionPage.nextCursor() unchanged");
  }

  @Test
  void aPageLimitOutsideOneToAThousandIsRefused() {
    assertThatThrownBy(() -> SessionQuery.builder().limit(0))
        .hasMessage("limit must be between 1 and 1000 but was 0");
  }
}
