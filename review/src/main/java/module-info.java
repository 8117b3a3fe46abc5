/**
 * agentmesh review: typed review artifacts, their content hashes, and their verification surfaces
 * as plain text, Markdown and HTML.
 */
module dev.agentmesh.review {
  requires transitive dev.agentmesh.core;
  requires transitive dev.agentmesh.sessions;
  requires transitive tools.jackson.databind;
  requires static org.jspecify;
  requires static java.compiler; // @Generated on the precompiled templates (source retention)
  requires java.desktop;
  requires gg.jte.runtime;
  requires org.commonmark;
  requires io.github.javadiffutils;
  requires okhttp3;
  requires org.slf4j;
  requires static jakarta.mail; // EmailNotifier only: angus-mail is an optional dependency

  exports dev.agentmesh.review;
  exports dev.agentmesh.review.spi;
  exports dev.agentmesh.review.notify;

  // The precompiled templates are loaded by the JTE runtime; the records are bound by Jackson.
  opens dev.agentmesh.review.internal.jte to
      gg.jte.runtime;
  opens dev.agentmesh.review to
      tools.jackson.databind;
}
