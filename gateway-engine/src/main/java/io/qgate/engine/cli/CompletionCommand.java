package io.qgate.engine.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate completion bash|zsh}: prints a shell completion script for every command and
 * option, generated from the command tree by picocli, so it never goes stale. zsh runs the same
 * script through its bash-completion emulation.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script for bash or zsh.", "Load it with: source <(qgate completion bash)"},
    footer = {"", "Example:", "  source <(qgate completion bash)       # this shell",
        "  qgate completion bash > /etc/bash_completion.d/qgate"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    String shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CommandLine root = spec.root().commandLine();
        switch (shell) {
            case "bash" -> out.print(AutoComplete.bash(root.getCommandName(), root));
            case "zsh" -> {
                out.println("autoload -U +X compinit && compinit");
                out.println("autoload -U +X bashcompinit && bashcompinit");
                out.print(AutoComplete.bash(root.getCommandName(), root));
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                "unknown shell '" + shell + "': qgate completes bash and zsh");
        }
        out.flush();
        return 0;
    }

    /** The shells offered when completing {@code qgate completion <TAB>}. */
    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }
}
