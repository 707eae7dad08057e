package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command shares: exit codes, one-line errors, --verbose, help examples, completion. */
class CliConventionsTest {
    @TempDir
    Path dir;

    /** Every command of the tree once (aliases share a spec), the root first. */
    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        Map<CommandLine.Model.CommandSpec, Boolean> seen = new IdentityHashMap<>();
        List<CommandLine> todo = new ArrayList<>(List.of(QgateCommand.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine command = todo.removeFirst();
            if (seen.put(command.getCommandSpec(), true) == null) {
                all.add(command);
                todo.addAll(command.getSubcommands().values());
            }
        }
        return all;
    }

    @Test
    void everyCommandsHelpEndsWithAnExampleThatFitsTheWidth() {
        List<String> names = new ArrayList<>();
        for (CommandLine command : everyCommand()) {
            String name = command.getCommandSpec().qualifiedName();
            names.add(name);
            assertTrue(command.getUsageMessage().contains("Example:"), name + " --help has no 'Example:' footer");
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                assertTrue(line.length() < command.getUsageHelpWidth(), name + ": an example wider than the help is broken across lines: " + line);
            }
        }
        for (String expected : new String[] {"qgate root init", "qgate keygen", "qgate cert issue", "qgate cert show",
                "qgate cert revoke", "qgate demo", "qgate bench", "qgate completion", "qgate help", "qgate up"}) {
            assertTrue(names.contains(expected), "the walk missed " + expected + ": " + names);
        }
    }

    @Test
    void helpOfASubcommandExitsZeroAndPrintsItsExample() {
        CliRun run = CliRun.run("cert", "revoke", "--help");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("Usage: qgate cert revoke") && run.out().contains("Example:"), run.toString());
    }

    @Test
    void userErrorIsOneLineWithExitOneAndNoStackTrace() {
        CliRun run = CliRun.run("cert", "show", dir.resolve("missing.crt").toString());
        assertEquals(1, run.exit(), run.toString());
        assertEquals("qgate: " + dir.resolve("missing.crt") + ": no such file", run.err().strip(), run.toString());
        assertEquals("", run.out());
    }

    @Test
    void verboseBeforeOrAfterTheCommandAddsTheStackTrace() {
        for (String[] args : new String[][] {{"--verbose", "cert", "show", "missing.crt"}, {"cert", "show", "missing.crt", "--verbose"}}) {
            CliRun run = CliRun.run(args);
            assertEquals(1, run.exit(), run.toString());
            List<String> lines = run.err().lines().toList();
            assertEquals("qgate: missing.crt: no such file", lines.getFirst(), run.toString());
            assertTrue(lines.get(1).startsWith("java.lang.IllegalArgumentException: missing.crt: no such file"), run.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tat io.qgate.engine.cli.")), run.toString());
        }
    }

    @Test
    void usageErrorIsOneLineNamingTheHelpWithExitTwo() {
        CliRun missing = CliRun.run("cert", "revoke");
        assertEquals(2, missing.exit(), missing.toString());
        assertEquals("qgate: Missing required option: '--ca=DIR': see 'qgate cert revoke --help'", missing.err().strip());
        CliRun unknown = CliRun.run("cert", "show", "--colour", "x.crt");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().startsWith("qgate: Unknown option: '--colour'") && unknown.err().contains("see 'qgate cert show --help'"),
            unknown.toString());
        assertFalse(unknown.err().contains("Usage:"), "the usage only with --verbose: " + unknown);
        CliRun verbose = CliRun.run("--verbose", "cert", "show", "--colour", "x.crt");
        assertEquals(2, verbose.exit(), verbose.toString());
        assertTrue(verbose.err().contains("Usage: qgate cert show"), verbose.toString());
        CliRun typo = CliRun.run("certs");
        assertEquals(2, typo.exit(), typo.toString());
        assertTrue(typo.err().contains("Did you mean: qgate cert"), typo.toString());
    }

    @Test
    void fileSystemErrorsAndBugsBecomeOneSentence() {
        assertEquals("/etc/qgate/pki: permission denied: run as a user who may access it (or with sudo)",
            UserErrorHandler.sentence(new AccessDeniedException("/etc/qgate/pki"), false));
        assertEquals("/x.crt: no such file or directory: check the path",
            UserErrorHandler.sentence(new NoSuchFileException("/x.crt"), false));
        assertEquals("internal error (java.lang.NullPointerException: boom): run again with --verbose and report the stack trace",
            UserErrorHandler.sentence(new NullPointerException("boom"), false));
        assertEquals("--days must be positive", UserErrorHandler.sentence(new IllegalArgumentException("--days must be positive"), false));
    }

    @Test
    void bashCompletionDefinesAFunctionThatCompletesSubcommands() throws Exception {
        CliRun run = CliRun.run("completion", "bash");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("function _complete_qgate()"), "no completion function");
        assertTrue(run.out().contains("complete -F _complete_qgate"), "the function is not registered");
        for (String command : new String[] {"root", "keygen", "cert", "revoke", "completion", "bench"}) {
            assertTrue(run.out().contains(command), "the script does not name " + command);
        }
        Path script = dir.resolve("qgate.bash");
        Files.writeString(script, run.out());
        // bash itself: the script loads, and completing "qgate ce" offers "cert"
        Process bash = new ProcessBuilder("bash", "-c", "source " + script + " && COMP_WORDS=(qgate ce) && COMP_CWORD=1"
            + " && COMP_LINE='qgate ce' && COMP_POINT=8 && _complete_qgate && echo \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
        assertTrue(bash.waitFor(20, TimeUnit.SECONDS), "bash did not finish");
        String offered = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, bash.exitValue(), offered);
        assertEquals("cert", offered);
    }

    @Test
    void completionRefusesAShellItCannotComplete() {
        CliRun run = CliRun.run("completion", "fish");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("qgate: unknown shell 'fish': qgate completes bash and zsh"), run.toString());
        CliRun zsh = CliRun.run("completion", "zsh");
        assertEquals(0, zsh.exit(), zsh.toString());
        assertTrue(zsh.out().startsWith("autoload -U +X compinit") && zsh.out().contains("bashcompinit"), zsh.toString());
    }
}
