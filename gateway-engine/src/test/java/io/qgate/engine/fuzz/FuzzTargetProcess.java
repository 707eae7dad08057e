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
 * One fuzzing JVM ({@link FuzzTargetMain}) for one target, and what it left behind. It starts
 * from the target's corpus kept in the repository ({@code corpus}, only read) and everything it
 * writes stays in its working directory under {@code target/fuzz/}: the log, the corpus it grows
 * ({@code corpus/}), its temporary files, and on a finding the crashing input ({@code crash-<sha1>},
 * libFuzzer's name). {@link #merge} then minimises the kept corpus together with the grown one, for
 * {@code scripts/fuzz-long}.
 *
 * @param className the {@code @FuzzTest} class
 * @param method the {@code @FuzzTest} method
 * @param workDirectory the JVM's working directory, recreated for each run but for its corpus
 * @param corpus the target's corpus in the source tree,
 *     {@code src/test/fuzz-corpus/<package path>/<Class>Inputs/<method>/}: on the test class path, so
 *     Jazzer's regression mode replays every file of it in the normal test run
 */
record FuzzTargetProcess(String className, String method, Path workDirectory, Path corpus) {
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
    /** A merge replays a few thousand inputs at most; this bounds it if one of them hangs. */
    private static final long MERGE_SECONDS = 600;
    private static final String MERGE_DONE = "MERGE-OUTER: successful";
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

    /** The corpus this run grows; the first corpus directory libFuzzer gets, the only one it writes. */
    Path grownCorpus() {
        return workDirectory.resolve("corpus");
    }

    /** Starts the JVM, waits for it and collects what it left. */
    Outcome run(List<String> jvmFlags, List<Path> classPath, long seconds) throws IOException, InterruptedException {
        prepareWorkDirectory();
        Files.createDirectories(grownCorpus());
        Path log = workDirectory.resolve("fuzz.log");
        List<String> command = command(jvmFlags, classPath, seconds);
        Files.writeString(workDirectory.resolve("command.txt"), "JAZZER_FUZZ=1 " + String.join(" ", command) + "\n");
        long started = System.nanoTime();
        int exitCode = runBounded(command, log, seconds + GRACE_SECONDS);
        return outcome(exitCode, log, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** The fuzzing JVM's command line: {@link FuzzTargetMain} with the grown corpus first, then the kept one. */
    List<String> command(List<String> jvmFlags, List<Path> classPath, long seconds) {
        List<String> command = javaCommand(jvmFlags, classPath);
        command.add(FuzzTargetMain.class.getName());
        command.add(className);
        command.add(method);
        command.add(Long.toString(seconds));
        command.add(grownCorpus().toString());
        if (Files.isDirectory(corpus)) { // libFuzzer stops at a corpus directory that does not exist
            command.add(corpus.toString());
        }
        return command;
    }

    /**
     * Minimises the kept corpus together with what the last {@link #run} grew: libFuzzer's
     * {@code -merge=1} into an empty directory keeps the smallest inputs that together reach every
     * feature the two reach, and they replace the files of {@link #corpus}. Uses Jazzer's own
     * command-line driver, which can restart its JVM as libFuzzer's merge needs (the JUnit runner
     * of {@link FuzzTargetMain} cannot).
     *
     * @return one line: how many files and bytes the corpus held before and holds now
     * @throws IllegalStateException if the merge failed; the corpus is then left as it was
     */
    String merge(List<String> jvmFlags, List<Path> classPath) throws IOException, InterruptedException {
        Path merged = workDirectory.resolve("merged");
        Java23ClassFiles.deleteRecursively(merged);
        Files.createDirectories(merged);
        Files.createDirectories(corpus);
        Path log = workDirectory.resolve("merge.log");
        List<String> command = javaCommand(jvmFlags, classPath);
        command.addAll(List.of("com.code_intelligence.jazzer.Jazzer", "--target_class=" + className,
            "--target_method=" + method, "-merge=1", merged.toString(), corpus.toString(), grownCorpus().toString()));
        Files.writeString(workDirectory.resolve("merge-command.txt"), String.join(" ", command) + "\n");
        int exitCode = runBounded(command, log, MERGE_SECONDS);
        List<Path> kept = files(merged);
        if (exitCode != 0 || kept.isEmpty()
                || Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().noneMatch(l -> l.startsWith(MERGE_DONE))) {
            throw new IllegalStateException(id() + ": merging the corpus failed (exit code " + exitCode + "); "
                + corpus + " is unchanged. Log: " + log);
        }
        List<Path> before = files(corpus);
        String was = before.size() + " files, " + bytes(before) + " bytes";
        for (Path file : before) {
            Files.delete(file);
        }
        for (Path file : kept) {
            Files.copy(file, corpus.resolve(file.getFileName()));
        }
        return id() + ": corpus " + corpus + " had " + was + ", now " + kept.size() + " files, " + bytes(kept)
            + " bytes";
    }

    private List<String> javaCommand(List<String> jvmFlags, List<Path> classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Xmx1g");
        command.add("-XX:+UseSerialGC"); // two fuzzing JVMs share the cores; GC threads would only compete
        command.add("-XX:+EnableDynamicAgentLoading");
        command.add("-Djava.io.tmpdir=" + temporaryDirectory());
        command.add("-Djazzer.instrument=io.qgate.engine.**");
        // JDK classes cannot be instrumented with Jazzer 0.24.0's ASM on JDK 25; trying only logs.
        command.add("-Djazzer.additional_classes_excludes=java.**:javax.**:jdk.**:sun.**:com.sun.**");
        command.add("-Djazzer.disabled_hooks=" + String.join(":",
            IRRELEVANT_DETECTORS.stream().map(name -> "com.code_intelligence.jazzer.sanitizers." + name).toList()));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        return command;
    }

    private Path temporaryDirectory() {
        return workDirectory.resolve("tmp");
    }

    /** Runs {@code command} in the work directory with its output in {@code log}; kills it after {@code seconds}. */
    private int runBounded(List<String> command, Path log, long seconds) throws IOException, InterruptedException {
        Files.createDirectories(temporaryDirectory());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAZZER_FUZZ", "1");
        // libFuzzer's merge keeps its control file in $TMPDIR.
        builder.environment().put("TMPDIR", temporaryDirectory().toString());
        Process process = builder.start();
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return TIMED_OUT;
    }

    /** The regular files directly in {@code directory}, in name order. */
    static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The bytes of {@code files} in all. */
    static long bytes(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    private void prepareWorkDirectory() throws IOException {
        Files.createDirectories(workDirectory);
        for (Path stale : artifacts()) {
            Files.delete(stale);
        }
        Java23ClassFiles.deleteRecursively(temporaryDirectory());
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
