package dev.agentmesh.sessions.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Encodes the keyset position (createdAt, id) of a page's last session as an opaque string. */
final class Cursors {

  private Cursors() {}

  static String encode(Instant createdAt, String id) {
    String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static SessionQuery.Position decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      int dot = raw.indexOf('.');
      if (colon < 0 || dot < 0 || dot > colon) {
        throw new IllegalArgumentException("no position");
      }
      Instant createdAt =
          Instant.ofEpochSecond(
              Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, colon)));
      return new SessionQuery.Position(createdAt, raw.substring(colon + 1));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "Cursor '"
              + cursor
              + "' is not one a SessionPage returned; pass SessionPage.nextCursor() unchanged",
          e);
    }
  }
}
