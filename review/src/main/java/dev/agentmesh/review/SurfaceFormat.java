package dev.agentmesh.review;

/**
 * The formats a {@link Surface} is written in.
 *
 * <pre>{@code
 * String email = types.render(message, SurfaceFormat.TEXT);
 * }</pre>
 */
public enum SurfaceFormat {
  /** Plain text for terminals and e-mail: controls, escapes and bidi overrides made visible. */
  TEXT,
  /** Markdown readable on GitHub and Slack: Markdown, mrkdwn and {@code < > &} escaped. */
  MARKDOWN,
  /** An HTML fragment, escaped by context through precompiled JTE templates. */
  HTML
}
