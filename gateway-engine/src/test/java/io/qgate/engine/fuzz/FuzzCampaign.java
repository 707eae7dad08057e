package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bounded fuzzing that {@code ./mvnw verify} runs (README, "Fuzzing"): every {@link FuzzTest}
 * of gateway-engine is fuzzed for {@code qgate.fuzz.seconds}, each in its own JVM
 * ({@link FuzzTargetProcess}), {@code qgate.fuzz.jobs} at a time, and each is one test of this
 * factory, failed by a finding with the crashing input saved under {@code target/fuzz/}.
 *
 * <p>Why a driver and not Jazzer's JUnit integration alone: in fuzzing mode ({@code JAZZER_FUZZ}
 * set) Jazzer 0.24.0 fuzzes only the first {@code @FuzzTest} a JVM meets and disables the rest
 * ("Only one fuzz test can be run at a time"), takes its time limit from the annotation, and keeps
 * corpus and findings relative to the working directory (findings even in
 * {@code src/test/resources} when that exists there). One JVM per target, started in its own
 * directory under {@code target/fuzz/}, with the time limit passed as a libFuzzer flag, gives each
 * target its bounded run and keeps every file under {@code target/}.
 *
 * <p>The class name does not end in {@code Test}, so the normal test run does not pick it up; the
 * {@code fuzz} execution of gateway-engine's pom runs it and sets the properties:
 * {@code qgate.fuzz.seconds} (enables it), {@code qgate.fuzz.jobs}, {@code qgate.fuzz.targets}
 * (comma-separated parts of {@code Class#method} names; empty for all), {@code qgate.fuzz.dir},
 * {@code qgate.fuzz.corpus} (the corpus kept in the repository, {@code src/test/fuzz-corpus}) and
 * {@code qgate.fuzz.jvmFlags} (the flags every qgate JVM gets). {@code scripts/fuzz-long} runs it
 * with {@code qgate.fuzz.merge=true}: each target that fuzzed without a finding then has its kept
 * corpus minimised together with what it grew ({@link FuzzTargetProcess#merge}).
 */
@EnabledIfSystemProperty(named = "qgate.fuzz.seconds", matches = "[0-9]+")
class FuzzCampaign {
    private static final String FUZZ_TEST_SUFFIX = "FuzzTest.class";

    @TestFactory
    List<DynamicTest> everyFuzzTargetRunsItsTimeWithoutAFinding() throws IOException, URISyntaxException {
        long seconds = Long.parseLong(System.getProperty("qgate.fuzz.seconds"));
        // libFuzzer reads -max_total_time=0 as "no limit": refuse it rather than fuzz until killed.
        assertTrue(seconds >= 1, "qgate.fuzz.seconds must be at least 1; -Dqgate.fuzz.skip=true skips fuzzing");
        int jobs = Math.max(1, Integer.parseInt(System.getProperty("qgate.fuzz.jobs", "1")));
        List<String> jvmFlags = Arrays.stream(System.getProperty("qgate.fuzz.jvmFlags", "").trim().split("\\s+"))
            .filter(flag -> !flag.isEmpty()).toList();
        Path testClasses = Path.of(FuzzCampaign.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path fuzzDirectory = Path.of(System.getProperty("qgate.fuzz.dir",
            testClasses.resolveSibling("fuzz").toString()));
        Path corpusRoot = Path.of(System.getProperty("qgate.fuzz.corpus", corpusRoot(testClasses).toString()));
        boolean merge = Boolean.parseBoolean(System.getProperty("qgate.fuzz.merge", "false"));
        List<FuzzTargetProcess> targets = targets(testClasses, fuzzDirectory, corpusRoot,
            System.getProperty("qgate.fuzz.targets", ""));
        assertFalse(targets.isEmpty(), "no @FuzzTest matches qgate.fuzz.targets=" + System.getProperty("qgate.fuzz.targets"));
        List<Path> classPath = instrumentableClassPath(fuzzDirectory.resolve("classpath"));

        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        List<DynamicTest> tests = new ArrayList<>();
        for (FuzzTargetProcess target : targets) {
            Future<Fuzzed> fuzzed = pool.submit(() -> {
                FuzzTargetProcess.Outcome outcome = target.run(jvmFlags, classPath, seconds);
                return new Fuzzed(outcome, merge && outcome.clean() ? target.merge(jvmFlags, classPath) : null);
            });
            tests.add(DynamicTest.dynamicTest(target.className() + "#" + target.method(), () -> {
                FuzzTargetProcess.Outcome result = fuzzed.get().outcome();
                System.out.println("fuzzed " + result.summary());
                assertTrue(result.clean(), result::failure);
                if (fuzzed.get().merged() != null) {
                    System.out.println("merged " + fuzzed.get().merged());
                }
            }));
        }
        pool.shutdown();
        return tests;
    }

    /** A target's run, and with {@code qgate.fuzz.merge} what merging its corpus did (else null). */
    private record Fuzzed(FuzzTargetProcess.Outcome outcome, String merged) {
    }

    /** {@code src/test/fuzz-corpus} of the module whose test classes are in {@code testClasses} ({@code target/test-classes}). */
    static Path corpusRoot(Path testClasses) {
        return testClasses.toAbsolutePath().getParent().resolveSibling("src").resolve("test").resolve("fuzz-corpus");
    }

    /**
     * Every {@code @FuzzTest} method of the {@code *FuzzTest} classes under {@code testClasses}, in
     * name order, each with its work directory under {@code fuzzDirectory} and its corpus under
     * {@code corpusRoot} (where Jazzer looks for regression inputs: {@code <package path>/<Class>Inputs/<method>}).
     */
    static List<FuzzTargetProcess> targets(Path testClasses, Path fuzzDirectory, Path corpusRoot, String filter)
            throws IOException {
        List<String> wanted = Arrays.stream(filter.split(",")).map(String::trim).filter(part -> !part.isEmpty()).toList();
        List<FuzzTargetProcess> targets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(testClasses)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = testClasses.relativize(file).toString();
                if (!name.endsWith(FUZZ_TEST_SUFFIX) || name.contains("$")) {
                    continue;
                }
                String className = name.substring(0, name.length() - ".class".length()).replace(File.separatorChar, '.');
                for (Method method : fuzzTests(className)) {
                    String directory = className.substring(className.lastIndexOf('.') + 1) + "." + method.getName();
                    Path corpus = corpusRoot.resolve(className.replace('.', File.separatorChar) + "Inputs")
                        .resolve(method.getName());
                    FuzzTargetProcess target = new FuzzTargetProcess(className, method.getName(),
                        fuzzDirectory.resolve(directory), corpus);
                    if (wanted.isEmpty() || wanted.stream().anyMatch(target.id()::contains)) {
                        targets.add(target);
                    }
                }
            }
        }
        return targets;
    }

    private static List<Method> fuzzTests(String className) {
        try {
            Class<?> type = Class.forName(className, false, FuzzCampaign.class.getClassLoader());
            return Arrays.stream(type.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(FuzzTest.class))
                .sorted(Comparator.comparing(Method::getName)).toList();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is under test-classes but cannot be loaded", e);
        }
    }

    /**
     * The test class path (surefire passes it in {@code surefire.test.class.path}) with every
     * directory replaced by a {@link Java23ClassFiles} copy under {@code copies}; jars stay.
     */
    private static List<Path> instrumentableClassPath(Path copies) throws IOException {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> classPath = new ArrayList<>();
        Java23ClassFiles.deleteRecursively(copies);
        for (String entry : testClassPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path copy = copies.resolve(classPath.size() + "-" + path.getFileName());
                Java23ClassFiles.copy(path, copy);
                classPath.add(copy);
            } else {
                classPath.add(path);
            }
        }
        return classPath;
    }
}
