package dev.agentmesh.triggers;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request's {@code Content-Type} says JSON: {@code application/json} or {@code +json}.
 */
final class ContentTypes {

  private ContentTypes() {}

  /** Why these {@code Content-Type} values are not JSON in UTF-8, or null when they are. */
  static @Nullable String problem(List<String> values) {
    if (values.isEmpty()) {
      return "The request has no Content-Type; send the JSON payload as application/json";
    }
    if (values.size() > 1) {
      return "The request has " + values.size() + " Content-Type headers; send one";
    }
    String[] parts = values.get(0).split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    boolean json =
        type.equals("application/json")
            || (type.startsWith("application/") && type.endsWith("+json") && type.length() > 17);
    if (!json) {
      return "Content-Type '"
          + InputMappingException.shown(type, 60)
          + "' is not JSON; send the payload as application/json";
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      if (param.length == 2 && param[0].strip().equalsIgnoreCase("charset")) {
        String charset = param[1].strip().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8")) {
          return "charset '"
              + InputMappingException.shown(charset, 30)
              + "' is not UTF-8; send JSON in UTF-8";
        }
      }
    }
    return null;
  }
}
