package io.qgate.engine.fuzz;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One fuzzing JVM ({@link FuzzTargetMain}) for one target, and what it left behind. Everything it
 * writes stays in its working directory under {@code target/fuzz/}: the log, Jazzer's generated
 * corpus ({@code .cifuzz-corpus/}), its temporary files, and on a finding the crashing input
 * ({@code crash-<sha1>}, libFuzzer's name).
 *
 * @param className the {@code @FuzzTest} class
 * @param method the {@code @FuzzTest} method
 * @param workDirectory the JVM's working directory, recreated for each run but for its corpus
 */
record FuzzTargetProcess(String className, String method, Path workDirectory) {
    /** libFuzzer's artifact prefixes, and Jazzer's for a Java reproducer (its stand-alone mode writes one). */
    private static final List<String> ARTIFACT_PREFIXES = List.of("crash-", "timeout-", "oom-", "leak-", "slow-unit-",
        "Crash_");
    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
    private static final Pattern COVERAGE = Pattern.compile("cov: (\\d+) ft: (\\d+) corp: (\\d+)/");
    private static final int EXCERPT_LINES = 30;
    /** The exit code an outcome records for a JVM that had to be killed. */
    private static final int TIMED_OUT = -1;
    /** Beyond its fuzzing time, a JVM gets this long to start, make its seeds and report. */
    private static final long GRACE_SECONDS = 240;
    /**
     * Jazzer's bug detectors for injection classes (SQL, LDAP, scripts, deserialization, ...) that
     * byte parsers cannot have; some hook JDK internals, which Jazzer 0.24.0 cannot instrument on
     * JDK 25, and loading them all costs every fuzzing JVM about two seconds.
     */
    private static final List<String> IRRELEVANT_DETECTORS = List.of("ClojureLangHooks", "Deserialization",
        "ExpressionLanguageInjection", "LdapInjection", "NamingContextLookup", "OsCommandInjection", "ReflectiveCall",
        "RegexInjection", "RegexRoadblocks", "ScriptEngineInjection", "ServerSideRequestForgery", "SqlInjection",
        "XPathInjection");

    /**
     * How a run ended.
     *
     * @param runs and {@code seconds}: libFuzzer's closing "Done N runs in S seconds"
     * @param wallSeconds the whole JVM's life, start-up and seeds included
     * @param excerpt the log from the finding's report on, or its last lines
     */
    record Outcome(FuzzTargetProcess target, int exitCode, long runs, long seconds, long wallSeconds, String coverage,
            List<Path> artifacts, Path log, String excerpt) {
        boolean clean() {
            return exitCode == 0 && runs > 0 && artifacts.isEmpty();
        }

        /** One paragraph for a failed build: what was found, where the input is, how to keep it. */
        String failure() {
            String name = target.className() + "#" + target.method();
            String what = !artifacts.isEmpty() ? "found a bug; the input is saved as " + artifacts
                : exitCode == TIMED_OUT ? "did not finish " + GRACE_SECONDS + " s after its fuzzing time and was killed"
                : exitCode == 0 ? "did not fuzz (no libFuzzer 'Done' line)"
                : "failed with exit code " + exitCode;
            return name + " " + what + ".\nLog: " + log + "\nTo replay the input as a regression test, copy it to "
                + "src/test/resources/" + target.className().replace('.', '/') + "Inputs/" + target.method() + "/\n"
                + excerpt;
        }

        String summary() {
            return target.className() + "#" + target.method() + ": " + runs + " runs in " + seconds + " s ("
                + wallSeconds + " s with start-up), " + coverage;
        }
    }

    /** {@code SimpleClassName#method}: what {@code qgate.fuzz.targets} matches. */
    String id() {
        return className.substring(className.lastIndexOf('.') + 1) + "#" + method;
    }

    /** Starts the JVM, waits for it and collects what it left. */
    Outcome run(List<String> jvmFlags, List<Path> classPath, long seconds) throws IOException, InterruptedException {
        prepareWorkDirectory();
        Path log = workDirectory.resolve("fuzz.log");
        Path temporary = Files.createDirectories(workDirectory.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Xmx1g");
        command.add("-XX:+UseSerialGC"); // two fuzzing JVMs share the cores; GC threads would only compete
        command.add("-XX:+EnableDynamicAgentLoading");
        command.add("-Djava.io.tmpdir=" + temporary);
        command.add("-Djazzer.instrument=io.qgate.engine.**");
        // JDK classes cannot be instrumented with Jazzer 0.24.0's ASM on JDK 25; trying only logs.
        command.add("-Djazzer.additional_classes_excludes=java.**:javax.**:jdk.**:sun.**:com.sun.**");
        command.add("-Djazzer.disabled_hooks=" + String.join(":",
            IRRELEVANT_DETECTORS.stream().map(name -> "com.code_intelligence.jazzer.sanitizers." + name).toList()));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(FuzzTargetMain.class.getName());
        command.add(className);
        command.add(method);
        command.add(Long.toString(seconds));
        Files.writeString(workDirectory.resolve("command.txt"), "JAZZER_FUZZ=1 " + String.join(" ", command) + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAZZER_FUZZ", "1");
        long started = System.nanoTime();
        Process process = builder.start();
        int exitCode;
        if (process.waitFor(seconds + GRACE_SECONDS, TimeUnit.SECONDS)) {
            exitCode = process.exitValue();
        } else {
            process.destroyForcibly().waitFor();
            exitCode = TIMED_OUT;
        }
        return outcome(exitCode, log, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private void prepareWorkDirectory() throws IOException {
        Files.createDirectories(workDirectory);
        for (Path stale : artifacts()) {
            Files.delete(stale);
        }
        Java23ClassFiles.deleteRecursively(workDirectory.resolve("tmp"));
    }

    private Outcome outcome(int exitCode, Path log, long wallSeconds) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        long runs = 0;
        long seconds = 0;
        String coverage = "no coverage reported";
        int report = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher done = DONE.matcher(line);
            if (done.find()) {
                runs = Long.parseLong(done.group(1));
                seconds = Long.parseLong(done.group(2));
            }
            Matcher covered = COVERAGE.matcher(line);
            if (covered.find()) {
                coverage = covered.group(1) + " edges, " + covered.group(2) + " features, " + covered.group(3)
                    + " corpus entries";
            }
            if (report < 0 && (line.startsWith("== Java Exception") || line.startsWith(FuzzTargetMain.FAILURES))) {
                report = i;
            }
        }
        int from = report >= 0 ? report : Math.max(0, lines.size() - EXCERPT_LINES);
        String excerpt = String.join("\n", lines.subList(from, Math.min(lines.size(), from + EXCERPT_LINES)));
        return new Outcome(this, exitCode, runs, seconds, wallSeconds, coverage, artifacts(), log, excerpt);
    }

    private List<Path> artifacts() throws IOException {
        try (Stream<Path> files = Files.list(workDirectory)) {
            return files.filter(file -> ARTIFACT_PREFIXES.stream()
                    .anyMatch(prefix -> file.getFileName().toString().startsWith(prefix)))
                .sorted().toList();
        }
    }
}
