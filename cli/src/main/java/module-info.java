/**
 * The {@code agentmesh} command: validates agent spec files and draws a mesh as Mermaid. Run it as
 * {@code java -jar agentmesh-cli.jar}; {@link dev.agentmesh.cli.Main#run} runs it in-process.
 */
module dev.agentmesh.cli {
  requires dev.agentmesh.core;
  requires dev.agentmesh.triggers;
  requires static org.jspecify;

  exports dev.agentmesh.cli;
}
