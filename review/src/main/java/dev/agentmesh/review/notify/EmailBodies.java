package dev.agentmesh.review.notify;

import java.net.URI;
import java.util.Map;

/** The plain-text and HTML bodies of a notification e-mail (and of a digest's surfaces). */
final class EmailBodies {

  private EmailBodies() {}

  static String text(Notification n) {
    StringBuilder out = new StringBuilder(NotifyText.visible(n.title(), 500)).append("\n\n");
    for (Map.Entry<Notification.LinkRel, URI> link : n.links().entrySet()) {
      out.append(link.getKey().wireName()).append(": ").append(link.getValue()).append('\n');
    }
    for (Notification item : n.items()) {
      out.append("- ").append(NotifyText.visible(item.title(), 200)).append('\n');
    }
    RenderedSurfaces s = n.surfaces();
    if (s != null) {
      out.append('\n').append(s.text());
    }
    return out.append("\n-- \nnotification ").append(n.id()).append('\n').toString();
  }

  static String html(Notification n) {
    StringBuilder out =
        new StringBuilder("<!DOCTYPE html><html><body><h1>")
            .append(NotifyText.html(NotifyText.visible(n.title(), 500)))
            .append("</h1>");
    if (!n.links().isEmpty()) {
      out.append("<p>");
      n.links()
          .forEach(
              (rel, url) ->
                  out.append("<a href=\"")
                      .append(NotifyText.html(url.toString()))
                      .append("\">")
                      .append(NotifyText.html(rel.wireName()))
                      .append("</a> "));
      out.append("</p>");
    }
    if (!n.items().isEmpty()) {
      out.append("<ul>");
      n.items()
          .forEach(
              item ->
                  out.append("<li>")
                      .append(NotifyText.html(NotifyText.visible(item.title(), 200)))
                      .append("</li>"));
      out.append("</ul>");
    }
    RenderedSurfaces s = n.surfaces();
    if (s != null) {
      out.append(s.html());
    }
    return out.append("<p><small>notification ")
        .append(NotifyText.html(n.id()))
        .append("</small></p></body></html>")
        .toString();
  }
}
